from django.core.management.base import BaseCommand

from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.vaccination import counters
from chongdich.vaccination.services import recount


class Command(BaseCommand):
    help = ("Rebuild the vaccination coverage counters (per commune, ISO week and age group) from "
            "the dose records, and report how many counters had drifted. Run after a bulk load, a "
            "new age-group configuration, or people moving or correcting birth dates.")

    def add_arguments(self, parser):
        parser.add_argument("--province", help="only this province (GSO code)")

    def handle(self, *args, province=None, **options):
        province_id = None
        if province:
            province_id = AdminUnit.objects.get(code=province, level=UnitLevel.PROVINCE).pk
        before = counters.snapshot(province_id=province_id)
        rows = recount(province_id=province_id)
        after = counters.snapshot(province_id=province_id)
        drift = sum(1 for key in before.keys() | after.keys() if before.get(key) != after.get(key))
        self.stdout.write(f"Đã đếm lại: {rows['weekly']} dòng theo tuần, {rows['totals']} dòng tổng; "
                          f"{drift} bộ đếm lệch.")
