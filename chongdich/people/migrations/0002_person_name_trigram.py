"""A trigram index on Person.name_folded, so searching names by any part ('LIKE %van duc%') does not
scan every person. PostgreSQL only (pg_trgm is a trusted extension since PostgreSQL 13); SQLite keeps
the plain scan, which is fine at the sizes an embedded database holds."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS people_person_name_trgm "
        "ON people_person USING gin (name_folded gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS people_person_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
