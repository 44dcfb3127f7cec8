"""Forms for lockdown areas and zone designations. They parse what was typed; zones.services
decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.geography.models import AdminUnit, UnitLevel, Village
from chongdich.zones.models import ZoneColour
from chongdich.zones.selectors import units_inside_q

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


def _datetime(label, required=True, help_text=""):
    return forms.DateTimeField(label=label, required=required, help_text=help_text, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=LOCAL_DATETIME))


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.level == UnitLevel.DISTRICT:
            return _("%(name)s (cả huyện)") % {"name": obj.name_with_type}
        return f"{obj.name_with_type} — {obj.district.name_with_type}" if obj.district_id else obj.name_with_type


class VillageChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.commune.name_with_type}"


def units_for(actor):
    return (AdminUnit.objects.filter(units_inside_q(actor), level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE])
            .select_related("district").order_by("code"))


def villages_for(actor):
    return Village.objects.filter(units_inside_q(actor, "commune__")).select_related("commune").order_by(
        "commune__code", "name")


class AreaCommonForm(forms.Form):
    name = forms.CharField(label=_("Tên khu vực"), max_length=200,
                           help_text=_("Ví dụ: Phong tỏa thôn Đông, xã An Bình."))
    reason = forms.CharField(label=_("Lý do phong tỏa"), widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = _datetime(_("Bắt đầu"))
    ends_at = _datetime(_("Kết thúc"), required=False, help_text=_("Để trống: đến khi gỡ phong tỏa."))
    trigger_case = forms.CharField(label=_("Ca bệnh liên quan (mã ca)"), max_length=32, required=False,
                                   help_text=_("Ví dụ: BN26-000123"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["starts_at"].initial = clock.now().replace(second=0, microsecond=0)


class AreaUnitsForm(AreaCommonForm):
    units = UnitChoices(label=_("Xã, huyện"), queryset=AdminUnit.objects.none(), required=False,
                        widget=forms.SelectMultiple(attrs={"size": 8}))
    villages = VillageChoices(label=_("Thôn, tổ dân phố"), queryset=Village.objects.none(), required=False,
                              widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["units"].queryset = units_for(actor)
        self.fields["villages"].queryset = villages_for(actor)


class AreaPointForm(AreaCommonForm):
    lat = forms.FloatField(label=_("Vĩ độ"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Kinh độ"), min_value=-180, max_value=180)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=AdminUnit.objects.none(), required=False,
                                     empty_label=_("— tự xác định theo toạ độ —"))
    core_m = forms.IntegerField(label=_("Bán kính vùng lõi (m)"), min_value=1, initial=100)
    buffer_m = forms.IntegerField(label=_("Bán kính vùng đệm (m)"), min_value=1, required=False, initial=300)
    watch_m = forms.IntegerField(label=_("Bán kính vùng giám sát (m)"), min_value=1, required=False, initial=1000)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["commune"].queryset = units_for(actor).filter(level=UnitLevel.COMMUNE)


class ExtendForm(forms.Form):
    ends_at = _datetime(_("Gia hạn đến"), required=False, help_text=_("Để trống: đến khi gỡ phong tỏa."))


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Lý do gỡ phong tỏa"), widget=forms.Textarea(attrs={"rows": 2}))
    at = _datetime(_("Thời điểm gỡ"), required=False, help_text=_("Để trống: bây giờ."))


class DesignationForm(forms.Form):
    colour = forms.ChoiceField(label=_("Màu vùng"), choices=ZoneColour.choices)
    starts_on = _date(_("Từ ngày"))
    ends_on = _date(_("Đến ngày"), required=False, help_text=_("Để trống: đến khi có phân vùng mới."))
    units = UnitChoices(label=_("Xã, huyện"), queryset=AdminUnit.objects.none(), required=False,
                        widget=forms.SelectMultiple(attrs={"size": 8}))
    villages = VillageChoices(label=_("Thôn, tổ dân phố"), queryset=Village.objects.none(), required=False,
                              widget=forms.SelectMultiple(attrs={"size": 6}))
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    trigger_case = forms.CharField(label=_("Ca bệnh liên quan (mã ca)"), max_length=32, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units_for(actor)
        self.fields["villages"].queryset = villages_for(actor)
        self.fields["starts_on"].initial = clock.today()


class DesignationFilterForm(forms.Form):
    on = _date(_("Có hiệu lực ngày"), required=False)
    colour = forms.ChoiceField(label=_("Màu vùng"), required=False,
                               choices=[("", _("Tất cả"))] + list(ZoneColour.choices))
