import time

from django.core.management.base import BaseCommand

from chongdich.notifications.services import deliveries_send_due


class Command(BaseCommand):
    help = (
        "Send the e-mail and webhook notifications that are due (new ones whose task was lost, and "
        "retries). Safe to run beside the task worker and beside itself: each delivery is claimed "
        "with a conditional UPDATE before it is sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, polling every --interval")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes (--loop)")
        parser.add_argument("--limit", type=int, default=200, help="deliveries per pass")

    def handle(self, *args, loop=False, interval=5.0, limit=200, **options):
        while True:
            tally = deliveries_send_due(limit=limit)
            if any(tally.values()) or not loop:
                self.stdout.write(
                    f"sent {tally['sent']}, retry later {tally['retry']}, gave up {tally['failed']}, "
                    f"taken by another worker {tally['skipped']}"
                )
            if not loop:
                return
            time.sleep(interval)
