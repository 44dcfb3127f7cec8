"""Forms for documents, tasks and agencies. They parse what was typed; command.services decides."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.command.domain import Cadence, Recurrence, Timing
from chongdich.command.models import AgencyKind, DocumentKind, TaskTiming
from chongdich.command.services import NewTask
from chongdich.core import clock

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"
WEEKDAYS = [(0, _("Thứ Hai")), (1, _("Thứ Ba")), (2, _("Thứ Tư")), (3, _("Thứ Năm")), (4, _("Thứ Sáu")),
            (5, _("Thứ Bảy")), (6, _("Chủ nhật"))]


def date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean  # (a comprehension has no zero-argument super())
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.unit.name_with_type}" if obj.unit.level != "province" else obj.name


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.unit.name_with_type}" if obj.unit.level != "province" else obj.name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        where = f" · {obj.unit.name_with_type}" if obj.unit_id else ""
        return f"{obj.display_name} ({obj.username}){where}"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        where = f" · {obj.unit.name_with_type}" if obj.unit_id else ""
        return f"{obj.display_name} ({obj.username}){where}"


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.reference} — {obj.title[:80]}"


# --- Documents ----------------------------------------------------------------------------------


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentKind.choices, initial=DocumentKind.NOTICE)
    number = forms.CharField(label=_("Số ký hiệu"), max_length=40, required=False,
                             help_text=_("Ví dụ 2032-TB/TU; để trống nếu văn bản không ghi số."))
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200,
                                   widget=forms.TextInput(attrs={"list": "issuing-bodies"}))
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=date_widget())
    title = forms.CharField(label=_("Trích yếu"), max_length=400,
                            widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    signer = forms.CharField(label=_("Người ký"), max_length=200, required=False,
                             help_text=_("Ví dụ: T/L Ban Thường vụ, Chánh Văn phòng Trần Quốc Huy"))
    recipient_agencies = AgencyMultipleChoiceField(label=_("Cơ quan nhận"), queryset=None, required=False,
                                                   widget=forms.SelectMultiple(attrs={"size": 6}))
    recipient_units = forms.ModelMultipleChoiceField(label=_("Đơn vị nhận (huyện, xã)"), queryset=None,
                                                     required=False,
                                                     widget=forms.SelectMultiple(attrs={"size": 6}))
    recipients_text = forms.CharField(label=_("Nơi nhận (như trên văn bản)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    follows_up = DocumentChoiceField(label=_("Tiếp tục thực hiện văn bản"), queryset=None, required=False,
                                     widget=forms.SelectMultiple(attrs={"size": 4}))
    replaces = DocumentChoiceField(label=_("Thay thế văn bản"), queryset=None, required=False,
                                   widget=forms.SelectMultiple(attrs={"size": 4}))
    references_text = forms.CharField(label=_("Văn bản khác được dẫn (chưa có trong hệ thống)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    effective_until = forms.DateField(label=_("Hiệu lực đến ngày"), required=False, widget=date_widget())
    files = MultipleFileField(label=_("Tệp đính kèm (PDF, DOCX)"), accept=".pdf,.docx")

    def __init__(self, *args, agencies, units, documents, with_files: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_agencies"].queryset = agencies
        self.fields["recipient_units"].queryset = units
        self.fields["follows_up"].queryset = documents
        self.fields["replaces"].queryset = documents
        if not with_files:
            del self.fields["files"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("files", None)
        for field in ("recipient_agencies", "recipient_units", "follows_up", "replaces"):
            data[field] = list(data[field])
        return data


class TaskRowForm(forms.Form):
    """One row of the tasks a document gives. Several agencies on one row: the same task for each
    ('Giao các huyện, thành ủy: …')."""

    point = forms.CharField(label=_("Mục"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"size": 4}))
    agencies = AgencyMultipleChoiceField(label=_("Giao cho"), queryset=None, required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 5, "class": "agencies"}))
    description = forms.CharField(label=_("Nội dung nhiệm vụ"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    partners = AgencyMultipleChoiceField(label=_("Phối hợp"), queryset=None, required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 3}))
    officer_name = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=150, required=False)
    timing = forms.ChoiceField(label=_("Thời hạn"), choices=TaskTiming.choices, initial=Timing.ONGOING,
                               widget=forms.Select(attrs={"class": "timing"}))
    deadline = forms.DateTimeField(label=_("Hạn hoàn thành"), required=False, widget=datetime_widget())
    cadence = forms.ChoiceField(label=_("Chu kỳ báo cáo"), required=False,
                                choices=[("", "—"), (Cadence.DAILY, _("Hằng ngày")), (Cadence.WEEKLY, _("Hằng tuần"))])
    due_time = forms.TimeField(label=_("Trước giờ"), required=False, initial=dt.time(17, 0),
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    weekday = forms.TypedChoiceField(label=_("Vào thứ"), required=False, coerce=int, empty_value=None,
                                     choices=[("", "—"), *WEEKDAYS])
    starts_on = forms.DateField(label=_("Từ ngày"), required=False, widget=date_widget())
    ends_on = forms.DateField(label=_("Đến ngày"), required=False, widget=date_widget())

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["partners"].queryset = agencies

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("description") or "").strip() and not data.get("agencies")

    def clean(self):
        data = super().clean()
        if not (data.get("description") or "").strip() and not data.get("agencies"):
            return data  # an unused row
        if not data.get("agencies"):
            self.add_error("agencies", _("Chọn cơ quan được giao."))
        if not (data.get("description") or "").strip():
            self.add_error("description", _("Cần nhập nội dung nhiệm vụ."))
        timing = data.get("timing")
        if timing == Timing.DEADLINE and not data.get("deadline"):
            self.add_error("deadline", _("Cần nhập hạn hoàn thành."))
        if timing == Timing.RECURRING:
            if not data.get("cadence"):
                self.add_error("cadence", _("Chọn chu kỳ báo cáo."))
            if not data.get("due_time"):
                self.add_error("due_time", _("Cần nhập giờ phải báo cáo."))
            if not data.get("starts_on"):
                self.add_error("starts_on", _("Cần nhập ngày bắt đầu báo cáo."))
            if data.get("cadence") == Cadence.WEEKLY and data.get("weekday") is None:
                self.add_error("weekday", _("Chọn thứ trong tuần."))
        return data

    def specs(self) -> list[NewTask]:
        """One NewTask per agency chosen on the row (none for an unused row)."""
        data = self.cleaned_data
        if self.is_blank:
            return []
        timing = data["timing"]
        recurrence = None
        if timing == Timing.RECURRING:
            recurrence = Recurrence(cadence=Cadence(data["cadence"]), due_time=data["due_time"],
                                    starts_on=data["starts_on"], ends_on=data.get("ends_on"),
                                    weekday=data.get("weekday"))
        return [
            NewTask(agency=agency, description=data["description"], point=data.get("point") or "",
                    timing=timing, deadline=data.get("deadline") if timing == Timing.DEADLINE else None,
                    recurrence=recurrence, officer_name=data.get("officer_name") or "",
                    partners=list(data.get("partners") or []))
            for agency in data["agencies"]
        ]


class BaseTaskFormSet(forms.BaseFormSet):
    def __init__(self, *args, agencies, **kwargs):
        self.agencies = agencies
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"agencies": self.agencies}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, agencies=self.agencies, renderer=self.renderer)
        self.add_fields(form, None)
        return form

    def specs(self) -> tuple[list[NewTask], list[int]]:
        """The tasks in order, and for each the index of the row it came from."""
        specs, rows = [], []
        for index, form in enumerate(self.forms):
            for spec in form.specs():
                specs.append(spec)
                rows.append(index)
        return specs, rows


TaskFormSet = forms.formset_factory(TaskRowForm, formset=BaseTaskFormSet, extra=2, max_num=60)


# --- Tasks --------------------------------------------------------------------------------------


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 4}))
    period = forms.TypedChoiceField(label=_("Báo cáo cho kỳ"), required=False, coerce=dt.date.fromisoformat,
                                    empty_value=None, choices=[])
    done = forms.BooleanField(label=_("Đã hoàn thành nhiệm vụ (đề nghị Ban chỉ đạo xác nhận)"), required=False)
    files = MultipleFileField(label=_("Tệp kèm theo (PDF, DOCX, XLSX, ảnh)"),
                              accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png")

    def __init__(self, *args, periods=(), default_period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if periods:
            self.fields["period"].choices = [(p.isoformat(), label) for p, label in periods]
            if default_period:
                self.fields["period"].initial = default_period.isoformat()
        else:
            del self.fields["period"]


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Nhận xét (không bắt buộc)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(forms.Form):
    deadline = forms.DateTimeField(label=_("Hạn mới"), widget=datetime_widget())
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class OfficerForm(forms.Form):
    officer = UserChoiceField(label=_("Tài khoản cán bộ"), queryset=None, required=False,
                              empty_label=_("— không chọn —"))
    officer_name = forms.CharField(label=_("Họ tên, chức vụ"), max_length=150, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = people


class BoardFilterForm(forms.Form):
    GROUPS = [("document", _("Theo văn bản")), ("agency", _("Theo cơ quan")), ("lateness", _("Theo tiến độ"))]
    STATUSES = [("active", _("Chưa xong (kể cả chờ xác nhận)")), ("open", _("Cơ quan đang phải làm")),
                ("awaiting", _("Chờ xác nhận")), ("closed", _("Đã xong hoặc huỷ")), ("all", _("Tất cả"))]
    LATENESS = [("", _("Tất cả")), ("overdue", _("Quá hạn")), ("due_soon", _("Sắp đến hạn")),
                ("on_track", _("Còn hạn")), ("no_deadline", _("Không thời hạn")), ("awaiting", _("Chờ xác nhận"))]
    group = forms.ChoiceField(label=_("Nhóm"), choices=GROUPS, required=False)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=STATUSES, required=False)
    lateness = forms.ChoiceField(label=_("Tiến độ"), choices=LATENESS, required=False)
    agency = AgencyChoiceField(label=_("Cơ quan"), queryset=None, required=False, empty_label=_("Tất cả"))
    unit = forms.CharField(label=_("Địa bàn"), required=False)
    q = forms.CharField(label=_("Tìm"), required=False)

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["unit"].widget = forms.Select(
            choices=[("", _("Toàn bộ địa bàn"))] + [(u.code, u.name_with_type) for u in units])


# --- Agencies -----------------------------------------------------------------------------------


class AgencyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Thuộc cấp (đơn vị hành chính)"), queryset=None)
    name = forms.CharField(label=_("Tên cơ quan, đơn vị"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=AgencyKind.choices)
    head_name = forms.CharField(label=_("Người đứng đầu"), max_length=150, required=False)
    head_title = forms.CharField(label=_("Chức vụ"), max_length=150, required=False)
    head_account = UserChoiceField(label=_("Tài khoản người đứng đầu"), queryset=None, required=False,
                                   empty_label=_("— không có —"))
    superior = AgencyChoiceField(label=_("Cơ quan cấp trên (nhận báo cáo khi quá hạn)"), queryset=None,
                                 required=False, empty_label=_("— mặc định: Ban chỉ đạo —"))
    members = UserMultipleChoiceField(label=_("Tài khoản cán bộ của cơ quan"), queryset=None, required=False,
                                      widget=forms.SelectMultiple(attrs={"size": 8}))
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args, units, people, agencies, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["head_account"].queryset = people
        self.fields["members"].queryset = people
        self.fields["superior"].queryset = agencies
        if editing:
            del self.fields["unit"]
        else:
            del self.fields["is_active"]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["members"] = list(data["members"])
        return data


def initial_deadline() -> dt.datetime:
    """Three days from now at 17:00, the usual shape of a deadline."""
    day = clock.today() + dt.timedelta(days=3)
    return dt.datetime.combine(day, dt.time(17, 0))
