"""Proposals carry their best evidence (both visits' times); Evidence rows only for proposals with
more than one piece. Fewer indexes and no database-level foreign keys on proposals and evidence
(decision 0006: a day's batch writes hundreds of thousands of them). On PostgreSQL, the check-ins'
venue index covers the columns matching reads, and a partial index holds the visits longer than
an hour, the only ones matching has to look back 12 hours for."""

import django.db.models.deletion
from django.db import migrations, models

FIELDS = ("source_in", "source_out", "visit_in", "visit_out")


def fill(apps, schema_editor):
    """Existing proposals: the best of their evidence rows (they all had rows)."""
    Proposal = apps.get_model("venues", "Proposal")
    Evidence = apps.get_model("venues", "Evidence")
    for p in Proposal.objects.filter(source_in__isnull=True).iterator(chunk_size=2000):
        best = (Evidence.objects.filter(proposal_id=p.pk)
                .order_by("-overlap_minutes", "gap_minutes", "visit_in").first())
        if best is None:  # cannot happen; the slot and the last visit are the closest we know
            p.source_in = p.source_out = p.visit_in = p.slot_start
            p.visit_out = p.last_visit_at
        else:
            p.source_in, p.source_out = best.source_in, best.source_out
            p.visit_in, p.visit_out = best.visit_in, best.visit_out
        p.save(update_fields=list(FIELDS))


def matching_indexes(apps, schema_editor):
    """PostgreSQL: the venue index covering the columns matching reads, and the long stays'."""
    if schema_editor.connection.vendor == "postgresql":
        from chongdich.venues import partitions

        schema_editor.execute("DROP INDEX IF EXISTS checkin_venue_time_idx")
        schema_editor.execute(partitions.VENUE_INDEX)
        schema_editor.execute("DROP INDEX IF EXISTS checkin_long_stay_idx")
        schema_editor.execute(partitions.LONG_STAY_INDEX)


def plain_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS checkin_long_stay_idx")
        schema_editor.execute("DROP INDEX IF EXISTS checkin_venue_time_idx")
        schema_editor.execute("CREATE INDEX checkin_venue_time_idx ON venues_checkin (venue_id, checked_in_at)")


class Migration(migrations.Migration):

    dependencies = [
        ("venues", "0003_exposure_rules_data"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="proposal", name="proposal_pending_prov_idx"),
        migrations.RemoveIndex(model_name="proposal", name="proposal_pending_dist_idx"),
        migrations.RemoveIndex(model_name="proposal", name="proposal_pending_comm_idx"),
        migrations.RemoveIndex(model_name="proposal", name="proposal_pending_case_idx"),
        *[migrations.AddField(model_name="proposal", name=name, field=models.DateTimeField(null=True))
          for name in FIELDS],
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(model_name="proposal", name="source_in",
                              field=models.DateTimeField(help_text="the source's visit, best evidence")),
        migrations.AlterField(model_name="proposal", name="source_out", field=models.DateTimeField()),
        migrations.AlterField(model_name="proposal", name="visit_in",
                              field=models.DateTimeField(help_text="the person's visit, best evidence")),
        migrations.AlterField(model_name="proposal", name="visit_out", field=models.DateTimeField()),
        migrations.AlterField(
            model_name="evidence", name="proposal",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="evidence", to="venues.proposal")),
        migrations.AlterField(
            model_name="proposal", name="case",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="cases.case")),
        migrations.AlterField(
            model_name="proposal", name="person",
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="people.person")),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(condition=models.Q(("status", "pending")), fields=["province", "district", "commune", "venue"],
                               name="proposal_pending_unit_idx")),
        migrations.RunPython(matching_indexes, plain_indexes),
    ]
