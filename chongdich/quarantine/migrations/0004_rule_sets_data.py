"""Load the rule sets shipped in chongdich/quarantine/data/rule_sets.json (sets already present,
matched by code, are left alone). Reversing keeps them: rules may be in use by placements."""

from django.db import migrations


def load(apps, schema_editor):
    from chongdich.quarantine.rule_data import load_rule_sets

    load_rule_sets(apps.get_model("quarantine", "QuarantineRuleSet"), apps.get_model("quarantine", "PlacementRule"))


class Migration(migrations.Migration):

    dependencies = [
        ("quarantine", "0003_refine_audit_and_due_index"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
