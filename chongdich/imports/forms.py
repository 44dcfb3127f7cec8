"""Forms for imports. They only parse what was sent; the rules live in imports.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.imports import kinds, selectors


def kinds_for(actor) -> list:
    """The kinds the actor's role may import."""
    if not actor.can("import_data"):
        return []
    return [k for k in kinds.available()
            if not getattr(k, "capability", "") or actor.can(k.capability)]


class MappingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        owner = obj.unit.name_with_type if obj.unit_id else _("toàn quốc")
        return f"{obj.name} ({owner})"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"))
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}))
    mapping = MappingChoiceField(
        label=_("Cách ghép cột đã lưu"), queryset=None, required=False,
        empty_label=_("— tự nhận theo tên cột —"),
        help_text=_("Để trống: hệ thống tự nhận cột theo tên, hoặc theo cách đã lưu cho nguồn này."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in kinds_for(actor)]
        self.fields["mapping"].queryset = selectors.mapping_list(actor=actor)


class MappingForm(forms.Form):
    """One dropdown of the file's headers per field of the kind, and a name to save it under."""

    save_as = forms.CharField(
        label=_("Lưu cách ghép cột này cho nguồn"), max_length=150, required=False,
        help_text=_("Ví dụ: CDC Vĩnh Phúc — danh sách F0. Lần sau, tệp cùng nguồn tự ghép cột."),
    )

    def __init__(self, *args, kind, headers: list[str], initial_columns: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— không có —"))] + [(h, h) for h in headers if h]
        self.kind = kind
        for spec in kind.fields:
            self.fields[f"col_{spec.name}"] = forms.ChoiceField(
                label=spec.label, choices=choices, required=spec.required,
                initial=initial_columns.get(spec.name, ""), help_text=spec.help,
            )
        self.order_fields([f"col_{s.name}" for s in kind.fields] + ["save_as"])

    def column_fields(self):
        return [self[f"col_{s.name}"] for s in self.kind.fields]

    def columns(self) -> dict[str, str]:
        return {s.name: self.cleaned_data.get(f"col_{s.name}") or "" for s in self.kind.fields}
