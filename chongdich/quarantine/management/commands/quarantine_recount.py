from django.core.management.base import BaseCommand

from chongdich.quarantine.services_facilities import facility_recount


class Command(BaseCommand):
    help = ("Rebuild every facility's occupancy from its active placements and report the "
            "facilities whose counter had drifted (after a bulk load or a manual database change).")

    def handle(self, *args, **options):
        drift = facility_recount()
        for facility_id, (was, now) in sorted(drift.items()):
            self.stdout.write(f"  cơ sở #{facility_id}: {was} → {now}")
        self.stdout.write(f"Đã đếm lại; {len(drift)} cơ sở lệch số liệu.")
