"""Forms for the testing pages. They parse input; testing.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.cases.domain import ENDED_STATUSES
from chongdich.cases.models import CaseStatus, Detection
from chongdich.core import clock
from chongdich.geography.selectors import commune_list, unit_picker
from chongdich.people.forms import CommuneChoiceField
from chongdich.testing.models import Result, SampleKind, SampleReason, TargetGroup
from chongdich.testing.selectors import campaign_list, laboratory_list

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


def _datetime_field(label, **kw):
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=LOCAL_DATETIME), **kw)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _now():
    return clock.now().replace(second=0, microsecond=0)


class _LabChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.code})"


class TakeForm(forms.Form):
    """Where, when and why; the people come as a list of ids (`people`) with an optional tube code
    each (`code_<id>`)."""

    taken_at = _datetime_field(_("Thời điểm lấy mẫu"))
    commune = CommuneChoiceField(label=_("Nơi lấy mẫu (xã/phường)"), queryset=None)
    place = forms.CharField(label=_("Điểm lấy mẫu"), required=False, max_length=255,
                            help_text=_("Ví dụ: chợ Vĩnh Yên, trạm y tế xã."))
    reason = forms.ChoiceField(label=_("Lý do"), choices=SampleReason.choices)
    kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=SampleKind.choices)
    campaign = forms.ModelChoiceField(label=_("Chiến dịch sàng lọc"), queryset=None, required=False,
                                      empty_label=_("— không thuộc chiến dịch —"))
    pooled = forms.BooleanField(label=_("Gộp các mẫu này thành một mẫu gộp (5–15 người)"), required=False)
    pool_code = forms.CharField(label=_("Mã ống mẫu gộp"), required=False, max_length=40,
                                help_text=_("Để trống: cấp mã tự động."))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = commune_list(actor=actor)
        self.fields["campaign"].queryset = campaign_list(actor=actor, active_on=clock.today())
        self.fields["taken_at"].initial = _now()
        if actor.unit is not None and actor.unit.level == "commune":
            self.fields["commune"].initial = actor.unit.pk


class ResultForm(forms.Form):
    tube_code = forms.CharField(label=_("Mã ống mẫu (mẫu đơn hoặc mẫu gộp)"), max_length=40)
    result = forms.ChoiceField(label=_("Kết quả"), choices=Result.choices)
    ct_value = forms.DecimalField(label=_("Giá trị Ct"), required=False, min_value=0, max_value=50,
                                  decimal_places=1, max_digits=4)
    laboratory = _LabChoice(label=_("Phòng xét nghiệm"), queryset=None, required=False,
                            empty_label=_("— chọn phòng xét nghiệm —"))
    resulted_at = _datetime_field(_("Thời điểm có kết quả"))
    external_ref = forms.CharField(label=_("Số phiếu kết quả"), required=False, max_length=64)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["laboratory"].queryset = laboratory_list(actor=actor)
        self.fields["resulted_at"].initial = _now()


class QuickResultForm(ResultForm):
    """One row of the lab's worklist: the tube is the row's, the time is now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resulted_at"].required = False
        self.fields["tube_code"].widget = forms.HiddenInput()


class ConfirmForm(forms.Form):
    confirmed_at = _datetime_field(_("Thời điểm xác nhận"), required=False,
                                   help_text=_("Để trống: lúc lấy mẫu dương tính."))
    detection = forms.ChoiceField(label=_("Phát hiện qua"), choices=Detection.choices)
    status = forms.ChoiceField(label=_("Nơi điều trị ban đầu"),
                               choices=[c for c in CaseStatus.choices if c[0] not in ENDED_STATUSES])
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Lý do bác bỏ"), max_length=255,
                             help_text=_("Ví dụ: nhầm ống mẫu, ca cũ đã khỏi còn đào thải virus."))


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Tên chiến dịch"), max_length=200)
    unit = forms.ChoiceField(label=_("Địa bàn"))
    target_group = forms.ChoiceField(label=_("Nhóm đối tượng"), choices=TargetGroup.choices)
    target_note = forms.CharField(label=_("Mô tả đối tượng, địa điểm"), required=False, max_length=255,
                                  help_text=_("Ví dụ: tiểu thương chợ Vĩnh Yên."))
    starts_on = forms.DateField(label=_("Từ ngày"), widget=_date_widget())
    ends_on = forms.DateField(label=_("Đến ngày"), widget=_date_widget())
    target_headcount = forms.IntegerField(label=_("Số người cần lấy mẫu"), required=False, min_value=0,
                                          help_text=_("Khi không có danh sách người."))
    pool_size = forms.IntegerField(label=_("Gộp mẫu theo"), required=False, min_value=5, max_value=15,
                                   help_text=_("5–15 người một mẫu gộp; để trống nếu lấy mẫu đơn."))
    sample_kind = forms.ChoiceField(label=_("Loại xét nghiệm"), choices=SampleKind.choices)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = ([actor.unit] if actor.unit else []) + unit_picker(actor=actor)
        self.fields["unit"].choices = [(u.code, u.name_with_type) for u in units]
        if editing:
            del self.fields["unit"]


class LaboratoryForm(forms.Form):
    code = forms.CharField(label=_("Mã phòng xét nghiệm"), max_length=32)
    name = forms.CharField(label=_("Tên"), max_length=200)
    unit = forms.ChoiceField(label=_("Đơn vị"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        units = ([actor.unit] if actor.unit else []) + unit_picker(actor=actor)
        self.fields["unit"].choices = [(u.code, u.name_with_type) for u in units]
