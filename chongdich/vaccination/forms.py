"""Forms for a dose, an aggregate report and the coverage date. They parse what was typed;
vaccination.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.vaccination import presenting
from chongdich.vaccination.selectors import config_in_force, product_list


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Tính đến ngày"), required=False, widget=_date_widget())

    def day(self):
        if self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return clock.today()


class DoseForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Vắc xin"), queryset=None, empty_label=_("— chọn vắc xin —"))
    dose_number = forms.IntegerField(label=_("Mũi thứ"), min_value=1, max_value=10, initial=1)
    given_on = forms.DateField(label=_("Ngày tiêm"), widget=_date_widget())
    site = forms.CharField(label=_("Điểm tiêm"), max_length=200, required=False)
    batch = forms.CharField(label=_("Số lô"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = product_list()
        self.fields["given_on"].initial = clock.today()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name_with_type


class ReportForm(forms.Form):
    unit = UnitChoiceField(label=_("Đơn vị báo cáo"), queryset=None, empty_label=_("— chọn đơn vị —"))
    as_of = forms.DateField(label=_("Số liệu đến ngày"), widget=_date_widget())
    grp = forms.ChoiceField(label=_("Nhóm tuổi"))
    population = forms.IntegerField(label=_("Dân số của nhóm"), min_value=0, required=False,
                                    help_text=_("Bỏ trống: ước từ dân số của đơn vị và cơ cấu tuổi."))
    one_dose = forms.IntegerField(label=_("Số người đã tiêm ít nhất 1 mũi"), min_value=0)
    full_series = forms.IntegerField(label=_("Số người đã tiêm đủ liều cơ bản"), min_value=0)
    booster = forms.IntegerField(label=_("Số người đã tiêm mũi nhắc lại"), min_value=0, required=False)
    source = forms.CharField(label=_("Nguồn số liệu"), max_length=200, required=False,
                             help_text=_("ví dụ: Báo cáo số 123/BC-TTYT"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["grp"].choices = presenting.group_labels(config_in_force(clock.today()))
        self.fields["as_of"].initial = clock.today()
