from django.core.management.base import BaseCommand

from chongdich.venues import retention, services


class Command(BaseCommand):
    help = ("Drop the check-ins older than VENUES_CHECKIN_RETENTION_DAYS (default 21): whole day "
            "partitions on PostgreSQL, with the coming week's partitions created; a DELETE on "
            "SQLite. Run it daily (cron), e.g. `chongdich purge-checkins` at 01:00.")

    def handle(self, *args, **options):
        result = services.checkins_purge()
        self.stdout.write(
            f"Retention {retention.days()} days: kept from {result['first_kept_day']:%d/%m/%Y}; "
            f"dropped {result['dropped_partitions']} partitions, created {result['created_partitions']}, "
            f"deleted {result['deleted_rows']} rows.")
