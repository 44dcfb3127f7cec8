"""Load the rule sets shipped in chongdich/risk/data/rule_sets.json (sets already present, matched
by code, are left alone). Reversing keeps them: assessments may use them."""

from django.db import migrations


def load(apps, schema_editor):
    from chongdich.risk.rule_data import load_rule_sets

    load_rule_sets(apps.get_model("risk", "RiskRuleSet"))


class Migration(migrations.Migration):

    dependencies = [
        ("risk", "0002_capacity_statement_and_default"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
