"""On PostgreSQL, the weeks of DoseWeekCount after (or up to) a date are read with an index-only
scan: an index on week that carries the columns summed (decision 0005). Other databases keep the
plain index on week."""

from django.db import migrations

INDEX = "dose_week_count_week_cover"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON vaccination_doseweekcount (week)"
            " INCLUDE (commune_id, grp, one_dose, full_series, booster, district_id, province_id)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("vaccination", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
