"""Forms for home monitoring. They parse what was typed; monitoring.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.geography.models import Village
from chongdich.geography.selectors import commune_list
from chongdich.monitoring.domain import SYMPTOM_LABELS, Symptom
from chongdich.monitoring.models import EscalationAction
from chongdich.people.forms import CommuneChoiceField

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class SymptomChoiceField(forms.MultipleChoiceField):
    """The fixed symptom list; `danger` (codes) marks the rule set's danger signs for the page."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[(s.value, SYMPTOM_LABELS[s]) for s in Symptom], **kwargs)


class CheckForm(forms.Form):
    """A check typed in the field: every box may stay empty ("well, no symptoms")."""

    temperature = forms.CharField(
        label=_("Nhiệt độ (°C)"), required=False, max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "36.8", "autocomplete": "off"}),
    )
    spo2 = forms.IntegerField(
        label=_("SpO2 (%)"), required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "98", "min": 50, "max": 100}),
    )
    symptoms = SymptomChoiceField(label=_("Triệu chứng"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"temperature": data["temperature"], "spo2": data["spo2"], "symptoms": data["symptoms"],
                "note": data["note"]}


class DatedCheckForm(CheckForm):
    """A health worker may enter a check made earlier (a phone call this morning)."""

    checked_at = forms.DateTimeField(
        label=_("Thời điểm theo dõi"), required=False, input_formats=[LOCAL_DATETIME],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        help_text=_("Để trống: bây giờ"),
    )

    def service_kwargs(self) -> dict:
        return super().service_kwargs() | {"checked_at": self.cleaned_data["checked_at"]}


class ResolveForm(forms.Form):
    action = forms.ChoiceField(label=_("Đã xử trí"), choices=EscalationAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Ghi chú xử trí"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    officer_name = forms.CharField(label=_("Cán bộ xử trí"), required=False, max_length=150,
                                   help_text=_("Để trống: tên tài khoản của bạn"))


def _village_field():
    return forms.ModelChoiceField(label=_("Thôn/tổ dân phố"), queryset=Village.objects.none(), required=False,
                                  empty_label=_("— cả xã —"))


class TeamForm(forms.Form):
    commune = CommuneChoiceField(label=_("Xã/phường"), queryset=None, empty_label=_("— chọn xã/phường —"))
    name = forms.CharField(label=_("Tên tổ"), max_length=150)
    village = _village_field()
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)
    active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, actor, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is not None:  # the commune of a team does not change
            del self.fields["commune"]
            self.fields["village"].queryset = Village.objects.filter(commune_id=team.commune_id)
        else:
            del self.fields["active"]
            self.fields["commune"].queryset = commune_list(actor=actor).select_related("district")
            if actor.unit is not None and actor.unit.level == "commune":
                self.fields["commune"].initial = actor.unit.pk
                self.fields["village"].queryset = Village.objects.filter(commune_id=actor.unit.pk)
            else:
                del self.fields["village"]


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Tài khoản"), queryset=None, required=False,
                                  empty_label=_("— tình nguyện viên, không có tài khoản —"))
    full_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150,
                                help_text=_("Để trống nếu chọn tài khoản"))
    phone = forms.CharField(label=_("Điện thoại"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    is_leader = forms.BooleanField(label=_("Tổ trưởng"), required=False)

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"


class HouseholdForm(forms.Form):
    commune = CommuneChoiceField(label=_("Xã/phường"), queryset=None, empty_label=_("— chọn xã/phường —"))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255)
    village = _village_field()
    team = forms.ModelChoiceField(label=_("Tổ COVID cộng đồng"), queryset=None, required=False,
                                  empty_label=_("— chưa giao tổ —"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, actor, teams, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        commune_id = household.commune_id if household is not None else None
        if household is not None:
            del self.fields["commune"]
        else:
            self.fields["commune"].queryset = commune_list(actor=actor).select_related("district")
            if actor.unit is not None and actor.unit.level == "commune":
                commune_id = actor.unit.pk
                self.fields["commune"].initial = commune_id
        if commune_id:
            self.fields["village"].queryset = Village.objects.filter(commune_id=commune_id)
        else:
            del self.fields["village"]


class AssignForm(forms.Form):
    households = forms.ModelMultipleChoiceField(label=_("Hộ chưa thuộc tổ nào"), queryset=None,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = households


class MonitoredFilterForm(forms.Form):
    STATES = [
        ("", _("Tất cả")), ("needs_escalation", _("Cần xử trí")), ("not_reporting", _("Không báo cáo")),
        ("unchecked_today", _("Chưa theo dõi hôm nay")), ("ok", _("Đang theo dõi bình thường")),
        ("no_team", _("Chưa thuộc tổ nào")),
    ]
    q = forms.CharField(label=_("Họ tên"), required=False)
    state = forms.ChoiceField(label=_("Tình trạng"), choices=STATES, required=False)
    unit = forms.CharField(label=_("Đơn vị"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = forms.Select(
            choices=[("", _("Toàn bộ địa bàn"))] + [(u.code, u.name_with_type) for u in units])


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(label=_("Địa chỉ hoặc tên người trong hộ"), required=False)
    team = forms.ModelChoiceField(label=_("Tổ"), queryset=None, required=False, empty_label=_("Tất cả"))
    unassigned = forms.BooleanField(label=_("Chỉ hộ chưa thuộc tổ nào"), required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
