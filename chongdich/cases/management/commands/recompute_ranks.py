import time

from django.core.management.base import BaseCommand

from chongdich.cases import ranks, stats


class Command(BaseCommand):
    help = "Recompute every person's rank (F0/F1/F2…) and the daily counters from scratch; report drift."

    def add_arguments(self, parser):
        parser.add_argument("--skip-counters", action="store_true", help="ranks only")

    def handle(self, *args, skip_counters=False, **options):
        started = time.perf_counter()
        result = ranks.rebuild_all()
        self.stdout.write(
            f"{result['people']} people, {result['contacts']} contacts, {result['sources']} active F0: "
            f"{result['changed']} ranks corrected in {time.perf_counter() - started:.1f} s."
        )
        if not skip_counters:
            rows = stats.rebuild()
            self.stdout.write(f"Daily counters rebuilt: {rows} commune-days.")
