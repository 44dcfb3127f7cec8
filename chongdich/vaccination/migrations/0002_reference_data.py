"""Load the products and the age-group configuration shipped in chongdich/vaccination/data/
vaccination.json (rows already present, matched by code, are left alone)."""

from django.db import migrations


def load(apps, schema_editor):
    from chongdich.vaccination.reference_data import load_reference_data

    load_reference_data(apps.get_model("vaccination", "VaccineProduct"),
                        apps.get_model("vaccination", "CoverageConfig"))


class Migration(migrations.Migration):

    dependencies = [
        ("vaccination", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
