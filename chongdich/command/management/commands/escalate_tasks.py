import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chongdich.command.services import task_escalate_overdue


def moment(raw: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(raw)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class Command(BaseCommand):
    help = (
        "Escalate overdue tasks and missing recurring reports to the assignee's superior (each task "
        "once per level; safe to run as often as you like, e.g. from cron every 15 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, default=None,
                            help="pretend it is this moment, YYYY-MM-DDTHH:MM (local time unless a zone is given)")

    def handle(self, *args, now=None, **options):
        try:
            made = task_escalate_overdue(now=now)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for escalation in made:
            to = escalation.to_agency or escalation.to_unit
            self.stdout.write(f"  nhiệm vụ #{escalation.task_id}: cấp {escalation.level} → {to}"
                              f" ({escalation.recipients.count()} người nhận)")
        self.stdout.write(f"Đã báo cáo cấp trên {len(made)} lượt.")
