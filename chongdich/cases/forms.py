"""Forms for cases, contacts and clusters. They parse input; cases.services decides."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from chongdich.cases.domain import ENDED_STATUSES
from chongdich.cases.models import CaseStatus, ContactSetting, Detection
from chongdich.core import clock
from chongdich.geography.selectors import commune_list
from chongdich.people.forms import CommuneChoiceField

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _cluster_field():
    """A cluster by its number, with suggestions as the officer types (a province can have
    thousands of clusters: too many for a drop-down)."""
    return forms.IntegerField(
        label=_("Ổ dịch"), required=False, min_value=1,
        help_text=_("Gõ tên ổ dịch, nơi xảy ra hoặc xã rồi chọn; để trống nếu không thuộc ổ dịch nào."),
        widget=forms.TextInput(attrs={
            "list": "cluster-options", "autocomplete": "off", "inputmode": "search",
            "hx-get": reverse_lazy("cases:cluster_pick"), "hx-trigger": "input changed delay:300ms",
            "hx-target": "#cluster-options", "hx-swap": "innerHTML",
        }),
    )


class CaseFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", _("Tất cả (trừ ca đã loại)")), ("active", _("Đang điều trị")),
        *CaseStatus.choices, ("discarded", _("Đã loại")),
    ]
    q = forms.CharField(label=_("Mã ca hoặc họ tên"), required=False)
    unit = forms.CharField(label=_("Đơn vị"), required=False)
    confirmed_from = forms.DateField(label=_("Xác nhận từ ngày"), required=False, widget=_date_widget())
    confirmed_to = forms.DateField(label=_("đến ngày"), required=False, widget=_date_widget())
    status = forms.ChoiceField(label=_("Tình trạng"), choices=STATUS_CHOICES, required=False)
    detection = forms.ChoiceField(label=_("Phát hiện qua"), required=False,
                                  choices=[("", _("Tất cả"))] + list(Detection.choices))
    cluster = _cluster_field()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = forms.Select(
            choices=[("", _("Toàn bộ địa bàn"))] + [(u.code, u.name_with_type) for u in units]
        )
        self.fields["cluster"].help_text = ""


class CaseRegisterForm(forms.Form):
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirmed_at = forms.DateTimeField(label=_("Thời điểm xác nhận dương tính"), widget=_datetime_widget())
    detection = forms.ChoiceField(label=_("Phát hiện qua"), choices=Detection.choices)
    status = forms.ChoiceField(
        label=_("Nơi điều trị ban đầu"),
        choices=[c for c in CaseStatus.choices if c[0] not in ENDED_STATUSES],
    )
    onset_on = forms.DateField(label=_("Ngày khởi phát triệu chứng"), required=False, widget=_date_widget())
    infector_code = forms.CharField(label=_("Lây từ ca (mã ca)"), required=False, max_length=32)
    cluster = _cluster_field()
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_at"].initial = clock.now().replace(second=0, microsecond=0)


class ContactAddForm(forms.Form):
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    last_contact_at = forms.DateTimeField(label=_("Lần tiếp xúc cuối"), required=False, widget=_datetime_widget())
    setting = forms.ChoiceField(label=_("Hoàn cảnh tiếp xúc"), choices=ContactSetting.choices,
                                initial=ContactSetting.HOUSEHOLD)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng mới"), choices=CaseStatus.choices)
    at = forms.DateTimeField(label=_("Từ thời điểm"), widget=_datetime_widget())
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = clock.now().replace(second=0, microsecond=0)


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Lý do loại ca bệnh"), max_length=255,
                             help_text=_("Ví dụ: dương tính giả, nhập trùng hồ sơ."))


class LinkForm(forms.Form):
    infector_code = forms.CharField(label=_("Lây từ ca (mã ca)"), required=False, max_length=32)
    cluster = _cluster_field()


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Tên ổ dịch"), max_length=200)
    commune = CommuneChoiceField(label=_("Xã/phường"), queryset=None,
                                 empty_label=_("— chọn xã/phường —"))
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=255)
    source = forms.CharField(label=_("Nguồn lây"), required=False, max_length=255)
    started_on = forms.DateField(label=_("Ngày bắt đầu"), required=False, widget=_date_widget())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_list(actor=actor)
