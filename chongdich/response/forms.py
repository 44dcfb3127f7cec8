"""Forms of the response pages: board filters, sign-off, disinfection, compliance period. They
parse what was typed; response.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.response.models import StageKind

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"

STATE_CHOICES = [("open", _("Đang mở")), ("late", _("Có giai đoạn quá hạn")), ("closed", _("Đã xong")),
                 ("all", _("Tất cả (48 giờ qua)"))]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardFilterForm(forms.Form):
    district = forms.TypedChoiceField(label=_("Huyện"), required=False, coerce=int, empty_value=None)
    commune = forms.TypedChoiceField(label=_("Xã/phường"), required=False, coerce=int, empty_value=None)
    stage = forms.ChoiceField(label=_("Giai đoạn chưa xong"), required=False,
                              choices=[("", _("Tất cả"))] + list(StageKind.choices))
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, districts, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Toàn bộ địa bàn"))] + [(d.pk, d.name_with_type) for d in districts]
        self.fields["commune"].choices = [("", _("Tất cả xã/phường"))] + [(c.pk, c.name_with_type) for c in communes]


class SignOffForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú (đã làm gì, ai làm)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DisinfectionForm(forms.Form):
    place = forms.CharField(label=_("Nơi khử khuẩn"), max_length=255)
    done_by_name = forms.CharField(label=_("Đội/người thực hiện"), max_length=150)
    done_at = forms.DateTimeField(label=_("Thời điểm"), required=False, input_formats=[LOCAL_DATETIME],
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
                                  help_text=_("Để trống: bây giờ."))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=_date_widget())
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=_date_widget())
    unit = forms.CharField(label=_("Mã đơn vị"), required=False, widget=forms.HiddenInput)
