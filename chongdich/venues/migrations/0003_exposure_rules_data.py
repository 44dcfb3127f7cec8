"""Load the exposure rule sets shipped in chongdich/venues/data/exposure_rules.json."""

from django.db import migrations


def load(apps, schema_editor):
    from chongdich.venues.rule_data import load_rule_sets

    load_rule_sets(apps.get_model("venues", "ExposureRuleSet"))


class Migration(migrations.Migration):

    dependencies = [
        ("venues", "0002_checkin_partitioned"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
