from django.core.management.base import BaseCommand

from chongdich.venues import services_exposures


class Command(BaseCommand):
    help = ("Run every queued exposure match job now (a safety sweep next to the task queue): the "
            "visits of newly confirmed F0s and confirmed F1s become proposals.")

    def handle(self, *args, **options):
        totals = services_exposures.matching_run_queued()
        self.stdout.write(f"{totals['jobs']} jobs, {totals['matches']} matches, "
                          f"{totals['proposals']} new proposals.")
