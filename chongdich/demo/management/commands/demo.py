import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from chongdich.core import clock
from chongdich.core.errors import DomainError
from chongdich.demo.command import demo_command_ensure
from chongdich.demo.extras import demo_extras_load
from chongdich.demo.outbreak import default_days
from chongdich.demo.services import DEFAULT_START, DEMO_PASSWORD, demo_accounts_ensure, demo_build


class Command(BaseCommand):
    help = (
        "Build a synthetic outbreak in one province (people, F0 cases, contacts, clusters, "
        "treatment histories) and the demo accounts. Same seed, same data. The period starts at "
        "--start and lasts --days (default: 8 weeks for 2,000 cases, one more week per doubling)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default="26", help="GSO province code (default 26, Vĩnh Phúc)")
        parser.add_argument("--cases", type=int, default=2000, help="exact number of confirmed cases")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--start", type=dt.date.fromisoformat, default=DEFAULT_START,
                            help="first day of the period, YYYY-MM-DD (default 2021-05-01)")
        parser.add_argument("--days", type=int, default=None, help="length of the period in days")
        parser.add_argument("--live", action="store_true",
                            help="end the period today (the start is worked out from --days), so the "
                                 "quarantine, testing and monitoring lists are current")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing if any case exists (the demo accounts are still ensured)")

    def handle(self, *args, province, cases, seed, start, days, live, if_empty, **options):
        if live:
            start = clock.today() - dt.timedelta(days=(days or default_days(cases)) - 1)
        try:
            summary = demo_build(province_code=province, cases=cases, seed=seed, start=start,
                                 days=days, if_empty=if_empty, progress=self.stdout.write)
            accounts = demo_accounts_ensure(province_code=province)
            demo_extras_load(province_code=province, seed=seed, progress=self.stdout.write)
            command = demo_command_ensure(province_code=province)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if summary.skipped:
            self.stdout.write("Đã có dữ liệu ca bệnh: không tạo dữ liệu mô phỏng (--if-empty).")
        else:
            self.stdout.write(
                f"Đã tạo {summary.people:,} người, {summary.cases:,} ca F0, {summary.contacts:,} tiếp xúc, "
                f"{summary.clusters:,} ổ dịch, {summary.status_events:,} mốc điều trị; "
                f"từ {summary.start:%d/%m/%Y} đến {summary.end:%d/%m/%Y}; {summary.seconds:.1f} giây."
            )
        self.stdout.write(f"Tài khoản mô phỏng (mật khẩu: {DEMO_PASSWORD}):")
        for a in accounts:
            where = a.unit.name_with_type if a.unit else "toàn quốc, quản trị"
            self.stdout.write(f"  {a.username:<8} {a.full_name:<22} {a.role:<15} {where}")
        for username, full_name, role, where in command.accounts:
            self.stdout.write(f"  {username:<8} {full_name:<22} {role:<15} {where}")
        if not command.skipped:
            self.stdout.write(f"Chỉ đạo, điều hành: {command.documents} văn bản, {command.tasks} nhiệm vụ, "
                              f"{command.escalations} lượt báo cáo cấp trên do quá hạn.")
