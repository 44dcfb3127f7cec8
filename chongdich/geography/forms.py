from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.geography.models import VillageKind


class VillageForm(forms.Form):
    name = forms.CharField(label=_("Tên thôn/tổ dân phố"), max_length=100)
    kind = forms.ChoiceField(label=_("Loại"), choices=VillageKind.choices)
    population = forms.IntegerField(label=_("Dân số"), required=False, min_value=0)
