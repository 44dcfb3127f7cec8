from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.venues.models import VenueKind


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Tên địa điểm"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=VenueKind.choices)
    commune = forms.ModelChoiceField(label=_("Xã/phường"), queryset=None)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("Quy mô (người thường có mặt)"), min_value=1, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class PublicCheckInForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    citizen_id = forms.CharField(label=_("Số CCCD (nếu không có điện thoại)"), max_length=12, required=False)


class QueueFilterForm(forms.Form):
    margin = forms.TypedChoiceField(
        label=_("Khoảng cách tối đa"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Theo quy tắc")), (0, _("Cùng lúc (0 phút)")), (15, _("15 phút")),
                 (30, _("30 phút")), (60, _("60 phút"))])
    case = forms.CharField(label=_("Mã ca bệnh"), max_length=32, required=False)
