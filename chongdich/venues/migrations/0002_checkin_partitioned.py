"""The check-in table: partitioned by day on PostgreSQL (decision 0006), a plain table elsewhere.
Django's state is the ordinary model; the database side is written by hand on PostgreSQL, with
the partitions of the retention period and a week ahead."""

import django.db.models.deletion
from django.db import migrations, models


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.create_model(apps.get_model("venues", "CheckIn"))
        return
    import datetime as dt

    from chongdich.venues import partitions, retention

    schema_editor.execute(partitions.CREATE_PARENT)
    today = partitions.day_of(dt.datetime.now(dt.UTC))
    partitions.ensure_range(today - dt.timedelta(days=retention.days()),
                            today + dt.timedelta(days=partitions.AHEAD_DAYS))


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS venues_checkin CASCADE")


class Migration(migrations.Migration):

    dependencies = [
        ("venues", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CheckIn",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("checked_in_at", models.DateTimeField()),
                        ("checked_out_at", models.DateTimeField(blank=True, null=True)),
                        ("source", models.CharField(choices=[("qr", "Quét mã QR"), ("api", "API"), ("batch", "Lô"), ("file", "Tệp nhập")], default="api", max_length=5)),
                        ("person", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="people.person")),
                        ("venue", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="venues.venue")),
                    ],
                    options={
                        "ordering": ["-checked_in_at"],
                        "indexes": [
                            models.Index(fields=["venue", "checked_in_at"], name="checkin_venue_time_idx"),
                            models.Index(fields=["person", "checked_in_at"], name="checkin_person_time_idx"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create, drop),
    ]
