"""Forms for inspection teams, inspections, checklists and findings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.command.forms import (
    AgencyChoiceField,
    UserChoiceField,
    UserMultipleChoiceField,
    date_widget,
    datetime_widget,
)
from chongdich.command.models import ChecklistResult, Severity
from chongdich.core import clock


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name_with_type


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Tên đoàn"), max_length=200, help_text=_("Ví dụ: Đoàn kiểm tra số 1"))
    leader = UserChoiceField(label=_("Trưởng đoàn (tài khoản)"), queryset=None, required=False,
                             empty_label=_("— không chọn —"))
    leader_name = forms.CharField(label=_("Trưởng đoàn (họ tên, chức vụ)"), max_length=150, required=False)
    members = UserMultipleChoiceField(label=_("Thành viên"), queryset=None, required=False,
                                      widget=forms.SelectMultiple(attrs={"size": 8}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people


class InspectionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Đoàn kiểm tra"), queryset=None, empty_label=_("— chọn đoàn —"))
    inspected_unit = UnitField(label=_("Đơn vị được kiểm tra"), queryset=None)
    inspected_agency = AgencyChoiceField(label=_("Cơ quan được kiểm tra (nếu có)"), queryset=None,
                                         required=False, empty_label=_("— cả đơn vị —"))
    scheduled_on = forms.DateField(label=_("Ngày kiểm tra"), widget=date_widget())
    topic = forms.CharField(label=_("Nội dung kiểm tra"), max_length=300, required=False)

    def __init__(self, *args, teams, units, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["inspected_unit"].queryset = units
        self.fields["inspected_agency"].queryset = agencies
        self.fields["scheduled_on"].initial = clock.today()


class SurpriseForm(forms.Form):
    inspected_unit = UnitField(label=_("Đơn vị được kiểm tra"), queryset=None)
    inspected_agency = AgencyChoiceField(label=_("Cơ quan được kiểm tra (nếu có)"), queryset=None,
                                         required=False, empty_label=_("— cả đơn vị —"))
    carried_out_on = forms.DateField(label=_("Ngày kiểm tra"), widget=date_widget())
    topic = forms.CharField(label=_("Nội dung kiểm tra"), max_length=300, required=False)
    conclusion = forms.CharField(label=_("Nhận xét, kết luận"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspected_unit"].queryset = units
        self.fields["inspected_agency"].queryset = agencies
        self.fields["carried_out_on"].initial = clock.today()


class CompleteForm(forms.Form):
    carried_out_on = forms.DateField(label=_("Ngày đã kiểm tra"), widget=date_widget())
    conclusion = forms.CharField(label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carried_out_on"].initial = clock.today()


class ChecklistAddForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kiểm tra"), widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistItemForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả"), choices=ChecklistResult.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Tồn tại, hạn chế phát hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices, initial=Severity.MODERATE)
    checklist_item = forms.ModelChoiceField(label=_("Thuộc nội dung kiểm tra"), queryset=None, required=False,
                                            empty_label=_("— không —"))
    agency = AgencyChoiceField(label=_("Cơ quan chịu trách nhiệm"), queryset=None, required=False,
                               empty_label=_("— chưa xác định —"))

    def __init__(self, *args, items, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_item"].queryset = items
        self.fields["checklist_item"].label_from_instance = lambda item: item.text[:90]
        self.fields["agency"].queryset = agencies


class CorrectiveTaskForm(forms.Form):
    agency = AgencyChoiceField(label=_("Giao cho"), queryset=None)
    description = forms.CharField(label=_("Biện pháp khắc phục"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateTimeField(label=_("Hạn khắc phục"), widget=datetime_widget())
    officer_name = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=150, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CloseFindingForm(forms.Form):
    note = forms.CharField(label=_("Kết quả khắc phục"), max_length=500)
