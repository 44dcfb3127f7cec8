from django.core.management.base import BaseCommand

from chongdich.geography.services import units_load


class Command(BaseCommand):
    help = "Load Vietnam's administrative units (2021) with coordinates and populations."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="only this province (GSO code, e.g. 26)")

    def handle(self, *args, province=None, **options):
        counts = units_load(province_code=province)
        self.stdout.write(
            f"{counts.get('province', 0)} provinces, {counts.get('district', 0)} districts, "
            f"{counts.get('commune', 0)} communes loaded."
        )
