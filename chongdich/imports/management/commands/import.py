"""chongdich import KIND FILE [--mapping NAME] [--as USERNAME]: import a CSV or XLSX file in the
foreground, with a progress bar, as the web pages would (the same job, checks and error report)."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from chongdich.core.errors import DomainError
from chongdich.imports import kinds, report, runner, selectors, services
from chongdich.imports.models import ImportJob, JobStatus

BAR = 30


class Command(BaseCommand):
    help = "Nhập một tệp CSV/XLSX (people, cases, lab_results) với thanh tiến độ."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=kinds.names(), help="loại dữ liệu")
        parser.add_argument("file", help="tệp .csv hoặc .xlsx")
        parser.add_argument("--mapping", help="tên cách ghép cột đã lưu cho nguồn này")
        parser.add_argument("--as", dest="username",
                            help="tài khoản nhập (quyền và địa bàn của tài khoản này); "
                                 "mặc định: tài khoản quản trị duy nhất")
        parser.add_argument("--errors", help="nơi ghi báo cáo lỗi (mặc định: ./loi-nhap-<số>.csv)")

    def handle(self, *args, kind: str, file: str, mapping: str | None, username: str | None,
               errors: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}")
        actor = self._actor(username)
        saved = None
        if mapping:
            saved = selectors.mapping_list(actor=actor, kind=kind).filter(name=mapping).first()
            if saved is None:
                raise CommandError(f"Không có cách ghép cột “{mapping}” cho {kind}.")
        try:
            job = services.job_create_from_path(actor=actor, kind=kind, path=path, mapping=saved,
                                                language=settings.LANGUAGE_CODE, background=False)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if job.status == JobStatus.MAPPING:
            self._explain_mapping(job)
            raise CommandError("Chưa ghép được cột: dùng --mapping, hoặc ghép cột trên trang "
                               f"/imports/{job.pk}/ rồi lưu lại cho nguồn này.")
        before = selectors.job_same_file_before(actor=actor, job=job)
        if before is not None:
            self.stdout.write(f"Tệp này đã được nhập trước đây (lần nhập #{before.pk}, "
                              f"{before.created_at:%d/%m/%Y %H:%M}); các dòng đã có sẽ là trùng.")
        self._last = 0.0
        job = runner.job_run(job.pk, progress=self._progress)
        self._draw(job, force=True)
        self.stdout.write("")
        self.stdout.write(job.summary)
        if job.status == JobStatus.FAILED:
            raise CommandError(f"Lần nhập #{job.pk} thất bại.")
        if job.error_count:
            target = Path(errors or f"loi-nhap-{job.pk}.csv")
            with open(target, "wb") as out:
                for chunk in report.csv_chunks(job):
                    out.write(chunk)
            self.stdout.write(f"Báo cáo lỗi: {target.resolve()} (cũng trên trang /imports/{job.pk}/)")

    def _actor(self, username: str | None):
        users = get_user_model().objects.select_related("unit").filter(is_active=True)
        if username:
            actor = users.filter(username=username).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản {username}.")
            return actor
        admins = list(users.filter(is_superuser=True)[:2])
        if len(admins) != 1:
            raise CommandError("Cần --as USERNAME (tài khoản nhập).")
        return admins[0]

    def _explain_mapping(self, job: ImportJob) -> None:
        spec = kinds.get(job.kind)
        self.stderr.write(f"Cột của tệp: {', '.join(job.headers)}")
        missing = [str(f.label) for f in spec.fields if f.required and f.name not in job.columns]
        if missing:
            self.stderr.write(f"Thiếu cột bắt buộc: {', '.join(missing)}")
        used = set(job.columns.values())
        unknown = [h for h in job.headers if h and h not in used]
        if unknown:
            self.stderr.write(f"Cột chưa rõ dùng cho trường nào: {', '.join(unknown)}")

    def _progress(self, job: ImportJob) -> None:
        self._draw(job)

    def _draw(self, job: ImportJob, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        total = job.total_rows or 0
        done = job.processed_rows
        filled = BAR * done // total if total else 0
        pct = 100 * done // total if total else 0
        self.stdout.write(f"\r[{'#' * filled}{'-' * (BAR - filled)}] {pct:3d}% "
                          f"{done:,}/{total:,} dòng, {job.error_count:,} lỗi", ending="")
        self.stdout.flush()
