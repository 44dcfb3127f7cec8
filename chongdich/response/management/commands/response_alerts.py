from django.core.management.base import BaseCommand

from chongdich.core import clock
from chongdich.response.alerts import alerts_send_due


class Command(BaseCommand):
    help = ("Safety sweep of the 5-hour response clock (cron, e.g. every 5 minutes): re-check the "
            "open responses of the last two days against the records, then send every 'nearing' "
            "and 'late' alert due and not yet sent. Idempotent.")

    def handle(self, *args, **options):
        result = alerts_send_due(now=clock.now())
        self.stdout.write(
            f"Đã kiểm tra {result['rechecked']} phản ứng; {result['marked_done']} giai đoạn hoàn thành; "
            f"cảnh báo sắp hết hạn: {result['near']}, quá hạn: {result['late']}.")
