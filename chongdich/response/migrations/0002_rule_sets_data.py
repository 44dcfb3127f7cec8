"""Load the response standards of chongdich/response/data/rule_sets.json (sets already present,
matched by code, are left alone). Reversing keeps them: responses may use them."""

from django.db import migrations


def load(apps, schema_editor):
    from chongdich.response.rule_data import load_rule_sets

    load_rule_sets(apps.get_model("response", "ResponseRuleSet"))


class Migration(migrations.Migration):

    dependencies = [
        ("response", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
