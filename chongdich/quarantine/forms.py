"""Forms for facilities, admissions, transfers, releases, due lists and rule-set versions. They
parse what was typed; quarantine.services decides."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.geography.selectors import commune_list
from chongdich.people.forms import CommuneChoiceField
from chongdich.quarantine import domain
from chongdich.quarantine.models import Condition, FacilityKind, FacilityStatus, Purpose, Setting

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"
TIER_CHOICES = [("", _("— không —")), ("1", _("Tầng 1")), ("2", _("Tầng 2")), ("3", _("Tầng 3"))]


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ sở"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=FacilityKind.choices)
    tier = forms.TypedChoiceField(label=_("Tầng điều trị"), choices=TIER_CHOICES, required=False,
                                  coerce=int, empty_value=None,
                                  help_text=_("Chỉ với bệnh viện, bệnh viện dã chiến."))
    capacity = forms.IntegerField(label=_("Số chỗ"), min_value=1)
    commune = CommuneChoiceField(label=_("Xã/phường"), queryset=None, empty_label=_("— chọn xã/phường —"))
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    staff_name = forms.CharField(label=_("Người phụ trách"), max_length=150, required=False)
    staff_phone = forms.CharField(label=_("Điện thoại liên hệ"), max_length=20, required=False)
    status = forms.ChoiceField(label=_("Trạng thái"), initial=FacilityStatus.READY,
                               choices=[c for c in FacilityStatus.choices if c[0] != FacilityStatus.CLOSED])
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["commune"]  # a facility stays where it is: its keys are its commune's
        else:
            self.fields["commune"].queryset = commune_list(actor=actor)


class FacilityFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), required=False,
                             choices=[("", _("Tất cả"))] + list(FacilityKind.choices))
    district = forms.TypedChoiceField(label=_("Huyện"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Toàn bộ địa bàn"))] + [
            (d.pk, d.name_with_type) for d in districts]


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(name)s — còn %(free)s/%(capacity)s chỗ") % {
            "name": obj.name, "free": obj.free, "capacity": obj.capacity}


class AdmitForm(forms.Form):
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    purpose = forms.ChoiceField(label=_("Trường hợp"), choices=Purpose.choices, initial=Purpose.QUARANTINE)
    condition = forms.ChoiceField(label=_("Đối tượng"), choices=Condition.choices, initial=Condition.STANDARD)
    setting = forms.ChoiceField(label=_("Nơi cách ly"), choices=Setting.choices, initial=Setting.FACILITY,
                                widget=forms.RadioSelect)
    facility = FacilityChoiceField(label=_("Cơ sở"), queryset=None, required=False,
                                   empty_label=_("— chọn cơ sở còn chỗ —"))
    started_at = forms.DateTimeField(label=_("Bắt đầu cách ly"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format=LOCAL_DATETIME))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["started_at"].initial = clock.now().replace(second=0, microsecond=0)


class TransferForm(forms.Form):
    facility = FacilityChoiceField(label=_("Chuyển đến"), queryset=None, required=False,
                                   empty_label=_("Về cách ly, điều trị tại nhà"))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities


class ReleaseForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Lý do kết thúc trước quy định"), max_length=255, required=False,
        help_text=_("Chỉ lãnh đạo hoặc cán bộ dịch tễ; tên của bạn được ghi cùng lý do."))
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class PlacementFilterForm(forms.Form):
    ENDING = [("", _("Tất cả")), ("today", _("Kết thúc hôm nay")), ("week", _("Kết thúc trong 7 ngày")),
              ("due", _("Đã đến hạn kết thúc"))]
    q = forms.CharField(label=_("Họ tên"), required=False)
    ending = forms.ChoiceField(label=_("Thời hạn"), choices=ENDING, required=False)
    setting = forms.ChoiceField(label=_("Nơi cách ly"), required=False,
                                choices=[("", _("Tất cả"))] + list(Setting.choices))
    purpose = forms.ChoiceField(label=_("Trường hợp"), required=False,
                                choices=[("", _("Tất cả"))] + list(Purpose.choices))
    facility = forms.TypedChoiceField(label=_("Cơ sở"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, initial="active", choices=[
        ("active", _("Đang cách ly")), ("released", _("Đã kết thúc")), ("transferred", _("Đã chuyển")),
        ("all", _("Tất cả"))])

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].choices = [("", _("Tất cả"))] + [(f.pk, f.name) for f in facilities]


class DueFilterForm(forms.Form):
    on = forms.DateField(label=_("Đến hạn đến ngày"), required=False, widget=_date_widget())
    setting = forms.ChoiceField(label=_("Nơi cách ly"), required=False,
                                choices=[("", _("Tất cả"))] + list(Setting.choices))


# --- Rule-set versions -----------------------------------------------------------------------


class RuleSetForm(forms.Form):
    code = forms.CharField(label=_("Mã bộ quy định"), max_length=40,
                           help_text=_("Ví dụ: CV-10696-BYT-MT-2021"))
    name = forms.CharField(label=_("Tên"), max_length=200)
    legal_source = forms.CharField(label=_("Căn cứ pháp lý"), max_length=255,
                                   help_text=_("Số, ngày và cơ quan ban hành văn bản."))
    valid_from = forms.DateField(label=_("Áp dụng từ ngày"), widget=_date_widget())
    needs_verification = forms.BooleanField(label=_("Chưa đối chiếu với văn bản gốc"), required=False,
                                            initial=True)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Trường hợp"), choices=Purpose.choices)
    condition = forms.ChoiceField(label=_("Đối tượng"), choices=Condition.choices)
    setting = forms.ChoiceField(label=_("Nơi"), choices=Setting.choices)
    stay_days = forms.IntegerField(label=_("Số ngày cách ly"), min_value=1, max_value=domain.MAX_STAY_DAYS)
    monitoring_days = forms.IntegerField(label=_("Theo dõi tại nhà (ngày)"), min_value=0, initial=0,
                                         max_value=domain.MAX_MONITORING_DAYS)
    test_days = forms.CharField(label=_("Ngày xét nghiệm"), required=False, help_text=_("Ví dụ: 1, 7, 14"))
    release_needs_negative = forms.BooleanField(label=_("Cần âm tính để kết thúc"), required=False,
                                                initial=True)
    remove = forms.BooleanField(label=_("Bỏ dòng này"), required=False)

    def clean_test_days(self):
        try:
            return domain.parse_test_days(self.cleaned_data["test_days"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def rule(self) -> domain.Rule | None:
        data = self.cleaned_data
        if not data or data.get("remove") or not data.get("stay_days"):
            return None
        return domain.Rule(purpose=data["purpose"], condition=data["condition"], setting=data["setting"],
                           stay_days=data["stay_days"], monitoring_days=data.get("monitoring_days") or 0,
                           test_days=data["test_days"], release_needs_negative=data["release_needs_negative"])


RuleFormSet = formset_factory(RuleForm, extra=2)
