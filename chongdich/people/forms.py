"""Forms for people. They only parse what was typed; the identity rules live in people.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.geography.selectors import commune_list
from chongdich.people.models import Sex


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        district = obj.district.name_with_type if obj.district_id else ""
        return f"{obj.name_with_type} — {district}" if district else obj.name_with_type


class NewPersonForm(forms.Form):
    """A new person typed in on the spot (registering a case, adding a contact). All optional at
    this level: the page uses it only when no existing person was chosen."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False, min_value=1900, max_value=2100)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Sex.choices, initial=Sex.UNKNOWN,
                            required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    citizen_id = forms.CharField(label=_("Số CCCD"), max_length=20, required=False)
    commune = CommuneChoiceField(label=_("Xã/phường nơi ở"), queryset=None, required=False,
                                 empty_label=_("— chọn xã/phường —"))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=100, required=False)
    workplace = forms.CharField(label=_("Nơi làm việc"), max_length=200, required=False)
    confirm_new = forms.BooleanField(label=_("Đây là người khác, vẫn tạo người mới"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        communes = commune_list(actor=actor)
        self.fields["commune"].queryset = communes
        if actor.unit is not None and actor.unit.level == "commune":
            self.fields["commune"].initial = actor.unit.pk

    @property
    def is_filled(self) -> bool:
        """Did the officer type a new person (a name at least)?"""
        return bool(self.is_bound and (self.data.get(self.add_prefix("full_name")) or "").strip())

    def service_kwargs(self) -> dict:
        """Arguments for people.services.person_create."""
        data = self.cleaned_data
        return {
            "commune": data.get("commune"), "full_name": data.get("full_name") or "",
            "birth_date": data.get("birth_date"), "birth_year": data.get("birth_year"),
            "sex": data.get("sex") or Sex.UNKNOWN, "phone": data.get("phone") or "",
            "citizen_id": data.get("citizen_id") or "", "address": data.get("address") or "",
            "occupation": data.get("occupation") or "", "workplace": data.get("workplace") or "",
            "confirm_new": bool(data.get("confirm_new")),
        }


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, điện thoại hoặc CCCD"), required=False)
    rank = forms.TypedChoiceField(
        label=_("Phân loại"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Tất cả")), ("0", "F0"), ("1", "F1"), ("2", "F2"), ("3", "F3")],
    )
