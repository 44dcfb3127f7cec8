"""`chongdich assess-levels [--week 2021-W50] [--province 26] [--rule-set CODE] [--schedule]`: assess every
commune, district and province for one ISO week (default: the last complete week) and store the
levels with their explanations. Safe to run again: the week's rows are updated."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.risk import domain, selectors, services
from chongdich.risk.views import last_complete_week


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--week", default="", help="ISO week, e.g. 2021-W50 (default: last complete week)")
        parser.add_argument("--province", default="", help="province code (default: the whole country)")
        parser.add_argument("--rule-set", default="", help="rule set code (default: the one in force that week)")
        parser.add_argument("--schedule", action="store_true",
                            help="only queue the weekly run (Monday 00:30) unless one is waiting, and stop")

    def handle(self, *args, week: str, province: str, rule_set: str, schedule: bool = False, **options):
        if schedule:
            from chongdich.risk.tasks import weekly_assessment_start

            queued = weekly_assessment_start()
            self.stdout.write("weekly assessment queued" if queued else "weekly assessment already queued")
            return
        try:
            monday = domain.parse_iso_week(week) if week else last_complete_week()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        unit = None
        if province:
            unit = AdminUnit.objects.filter(code=province, level=UnitLevel.PROVINCE).first()
            if unit is None:
                raise CommandError(f"no province with code {province}")
        chosen = None
        if rule_set:
            chosen = selectors.RiskRuleSet.objects.filter(code=rule_set).first()
            if chosen is None:
                raise CommandError(f"no rule set with code {rule_set}")
        began = time.perf_counter()
        run = services.assessments_compute(week=monday, province=unit, rule_set=chosen)
        levels = ", ".join(f"level {k}: {v}" for k, v in sorted(run.by_level.items()))
        self.stdout.write(f"{domain.iso_week_label(run.week)} ({run.rule_set.code}): {run.units} units assessed "
                          f"in {time.perf_counter() - began:.2f} s — {levels}"
                          + ("" if run.coverage_known else " — coverage unknown (no vaccination figures)"))
