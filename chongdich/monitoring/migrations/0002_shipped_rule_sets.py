"""Load the shipped monitoring rule sets (chongdich/monitoring/data/rule_sets.json).

Sets already present (same code) are left as they are: they may have been edited since."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "rule_sets.json"


def load(apps, schema_editor):
    RuleSet = apps.get_model("monitoring", "MonitoringRuleSet")
    for row in json.loads(DATA.read_text(encoding="utf-8"))["rule_sets"]:
        if RuleSet.objects.filter(code=row["code"]).exists():
            continue
        RuleSet.objects.create(**(row | {"fever_from": Decimal(row["fever_from"])}))


def unload(apps, schema_editor):
    RuleSet = apps.get_model("monitoring", "MonitoringRuleSet")
    codes = [row["code"] for row in json.loads(DATA.read_text(encoding="utf-8"))["rule_sets"]]
    RuleSet.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
