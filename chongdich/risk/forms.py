"""Forms of the risk pages: the week and filters, a decision, a capacity statement, the what-if
inputs and a new rule-set version."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.risk import domain
from chongdich.risk.models import Level

LEVEL_CHOICES = [(str(v), label) for v, label in Level.choices]
UNIT_LEVELS = [("commune", _("Xã/Phường")), ("district", _("Quận/Huyện")), ("province", _("Tỉnh/Thành phố"))]
CAPACITY_CHOICES = [("", _("Theo dữ liệu (giường trống, ghi nhận)")), ("yes", _("Đáp ứng")),
                    ("no", _("Không đáp ứng"))]
# What-if coverage fields: (form field, coverage key, label)
COVERAGE_FIELDS = (
    ("cov_18_1", "18+|1", _("Từ 18 tuổi, ít nhất 1 mũi (%)")),
    ("cov_50_full", "50+|full", _("Từ 50 tuổi, đủ liều (%)")),
    ("cov_all_full", "all|full", _("Toàn dân, đủ liều (%)")),
)


class WeekForm(forms.Form):
    week = forms.CharField(label=_("Tuần"), required=False, help_text=_("Ví dụ 2021-W50"),
                           widget=forms.TextInput(attrs={"type": "week"}))
    level = forms.ChoiceField(label=_("Cấp đơn vị"), choices=UNIT_LEVELS, required=False)

    def clean_week(self):
        text = self.cleaned_data["week"]
        if not text:
            return None
        try:
            return domain.parse_iso_week(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DecideForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Cấp độ"), choices=LEVEL_CHOICES, coerce=int)
    reason = forms.CharField(label=_("Lý do (bắt buộc khi khác mức tính toán)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    effective_at = forms.DateTimeField(label=_("Hiệu lực từ (để trống: ngay, hoặc sau 48 giờ nếu nâng cấp)"),
                                       required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class CapacityForm(forms.Form):
    met = forms.TypedChoiceField(label=_("Năng lực thu dung, điều trị"), coerce=lambda v: v == "yes",
                                 choices=[("yes", _("Đáp ứng")), ("no", _("Không đáp ứng"))])
    as_of = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    oxygen_at_every_station = forms.BooleanField(label=_("Mọi trạm y tế xã có oxy"), required=False)
    icu_ready = forms.BooleanField(label=_("Có giường hồi sức tích cực sẵn sàng"), required=False)
    mobile_stations = forms.IntegerField(label=_("Số trạm y tế lưu động"), required=False, min_value=0)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WhatIfForm(forms.Form):
    population = forms.IntegerField(label=_("Dân số"), required=False, min_value=1)
    community_cases = forms.IntegerField(label=_("Ca mắc mới trong cộng đồng trong tuần"), min_value=0, initial=0)
    all_cases = forms.IntegerField(label=_("Tất cả ca mắc mới trong tuần"), min_value=0, initial=0)
    oxygen_cases = forms.IntegerField(label=_("Ca phải thở oxy trong tuần"), min_value=0, required=False)
    deaths = forms.IntegerField(label=_("Ca tử vong trong tuần"), min_value=0, required=False)
    capacity = forms.ChoiceField(label=_("Năng lực điều trị"), choices=CAPACITY_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _key, label in COVERAGE_FIELDS:
            self.fields[name] = forms.FloatField(label=label, required=False, min_value=0, max_value=100)

    def inputs(self, base: domain.Inputs | None) -> domain.Inputs:
        """The figures typed in, over the assessment's (beds, how capacity was known)."""
        data = self.cleaned_data
        coverage = {key: data[name] for name, key, _label in COVERAGE_FIELDS if data.get(name) is not None}
        capacity = {"yes": True, "no": False}.get(data.get("capacity") or "")
        base = base or domain.Inputs(population=None)
        return domain.Inputs(
            population=data.get("population") or base.population, community_cases=data["community_cases"],
            all_cases=max(data["all_cases"], data["community_cases"]), oxygen_cases=data.get("oxygen_cases"),
            deaths=data.get("deaths"), coverage=coverage or None,
            coverage_source=base.coverage_source if coverage == (base.coverage or {}) else "",
            capacity_met=capacity if capacity is not None else base.capacity_met,
            free_beds_per_100k=base.free_beds_per_100k,
            capacity_how="whatif" if capacity is not None else base.capacity_how)

    @staticmethod
    def initial_from(inputs: domain.Inputs | None) -> dict:
        if inputs is None:
            return {}
        initial = {"population": inputs.population, "community_cases": inputs.community_cases,
                   "all_cases": inputs.all_cases, "oxygen_cases": inputs.oxygen_cases, "deaths": inputs.deaths}
        for name, key, _label in COVERAGE_FIELDS:
            initial[name] = (inputs.coverage or {}).get(key)
        return initial


class RuleSetForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=40)
    name = forms.CharField(label=_("Tên"), max_length=200)
    legal_source = forms.CharField(label=_("Căn cứ pháp lý"), max_length=300)
    valid_from = forms.DateField(label=_("Áp dụng từ"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Hết hiệu lực"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rules = forms.CharField(label=_("Tiêu chí (JSON)"), widget=forms.Textarea(attrs={"rows": 14, "class": "mono"}))
    needs_verification = forms.BooleanField(label=_("Cần xác minh"), required=False, initial=True)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_rules(self):
        try:
            rules = json.loads(self.cleaned_data["rules"])
        except ValueError as exc:
            raise forms.ValidationError(_("JSON không hợp lệ: %(error)s") % {"error": exc}) from exc
        if errors := domain.rule_set_errors(rules):
            raise forms.ValidationError([message for _field, message in errors])
        return rules
