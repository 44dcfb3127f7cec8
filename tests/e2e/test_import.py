"""Browser test: an officer uploads a people list with some bad rows; the import runs in the
background (the real django-tasks database worker, in a thread), the job page's progress bar moves
by itself to 100 %, and the error report downloads with exactly the bad rows.

Run with `make test-e2e` (Playwright driving Debian's /usr/bin/chromium, headless, no network)."""

from __future__ import annotations

import csv
import io
import re
import threading
import time
from pathlib import Path

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from chongdich.accounts.models import User
from chongdich.core.testing import make_geography, make_user
from chongdich.imports.kinds.people import KIND as PEOPLE
from chongdich.imports.reading import write_csv
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PASSWORD = "pw-test-123456"

GOOD_ROWS = 36
BAD_ROWS = {  # file row → (column header, value)
    7: ("Giới tính", "không rõ lắm"),
    15: ("Số điện thoại", "12345"),
    24: ("Họ và tên", ""),
    33: ("Ngày sinh", "31/02/1980"),
}
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Nghề nghiệp"]


def people_list() -> bytes:
    rows = []
    for row in range(2, 2 + GOOD_ROWS + len(BAD_ROWS)):
        n = row - 1
        cells = [str(n), f"Nguyễn Văn Thử {n}", f"{(n % 28) + 1:02d}/05/1980", "Nam",
                 f"0912{n:06d}", "Công nhân"]
        if row in BAD_ROWS:
            header, value = BAD_ROWS[row]
            cells[HEADERS.index(header)] = value
        rows.append(cells)
    return write_csv(HEADERS, rows)


@pytest.fixture
def officer(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    units = make_geography()
    return make_user(units["commune_a1"], User.Role.OFFICER, full_name="Cán bộ Thử")


@pytest.fixture
def page(officer, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda msg: msg.type in ("error", "warning") and print(f"console {msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: print(f"page error: {exc}"))
    yield page
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.fixture
def slow_chunks(monkeypatch):
    """Small chunks that take a moment each, so the page has time to show the bar moving (the
    rows are still stored by the real kind, chunk by chunk)."""
    process = PEOPLE.process

    def slowly(**kwargs):
        time.sleep(0.3)
        return process(**kwargs)

    monkeypatch.setattr(PEOPLE, "chunk_size", 5)
    monkeypatch.setattr(PEOPLE, "process", slowly)


class BackgroundWorker:
    """django-tasks' database worker (what `chongdich db_worker` runs) in a thread. The test
    database of SQLite lives in memory: the worker shares the live server's connection to it, as
    Django's live server threads do. Built before Playwright starts (see `worker`): inside
    Playwright's event loop the ORM hands out connections of its own."""

    def __init__(self):
        self.worker = Worker(queue_names=["*"], interval=0.2, batch=False, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id="e2e-worker",
                             excluded_queue_names=[])
        self.shared = {conn.alias: conn for conn in connections.all()
                       if conn.vendor == "sqlite" and conn.is_in_memory_db()}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        for alias, conn in self.shared.items():
            connections[alias] = conn
        try:
            self.worker.run()
        finally:
            if not self.shared:
                connections.close_all()

    def __enter__(self):
        for conn in self.shared.values():
            conn.inc_thread_sharing()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.worker.running = False
        self.thread.join(timeout=15)
        for conn in self.shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def worker(transactional_db, live_server):
    return BackgroundWorker()


def log_in(page, user):
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    expect(page).to_have_url(re.compile(r"/$"))


RECORD_PROGRESS = """() => {
    window.progressSeen = [];
    const note = () => {
        const bar = document.getElementById('import-progress');
        if (bar) window.progressSeen.push(Number(bar.value));
    };
    note();
    document.body.addEventListener('htmx:afterSettle', note);
}"""


def test_an_upload_with_bad_rows_progresses_in_the_background_and_reports_them(
        worker, page, officer, slow_chunks):
    log_in(page, officer)
    page.click("nav.mainnav >> text=Nhập dữ liệu")
    expect(page).to_have_url(re.compile(r"/imports/$"))
    page.click("text=Nhập tệp mới")

    page.select_option("#id_kind", "people")
    page.set_input_files("#id_file", files=[{"name": "danh-sach-ve-tu-vung-dich.csv",
                                             "mimeType": "text/csv", "buffer": people_list()}])
    page.click("#upload-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("#progress")).to_have_attribute("data-status", re.compile("queued|running"))
    page.evaluate(RECORD_PROGRESS)

    with worker:
        expect(page.locator("#progress")).to_have_attribute("data-status", "done", timeout=60_000)

    bar = page.locator("#import-progress")
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("#import-percent")).to_have_text("100")
    expect(page.locator('[data-count="created"]')).to_have_text(str(GOOD_ROWS))
    expect(page.locator('[data-count="error"]')).to_have_text(str(len(BAD_ROWS)))
    seen = page.evaluate("() => window.progressSeen")
    assert seen[-1] == 100
    assert any(0 < value < 100 for value in seen), f"the bar never showed progress: {seen}"
    expect(page.locator("#row-errors tbody tr")).to_have_count(len(BAD_ROWS))
    page.screenshot(path=str(ARTIFACTS / "import-done.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#errors-csv")
    report = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report)))
    assert rows[0] == ["Dòng", "Cột", "Giá trị", "Lý do", *HEADERS]
    assert [(int(r[0]), r[1], r[2]) for r in rows[1:]] == [
        (row, header, value) for row, (header, value) in sorted(BAD_ROWS.items())]
    for r in rows[1:]:
        assert r[3], f"row {r[0]} has no reason"
        assert r[4] == str(int(r[0]) - 1)  # the original row follows, from its STT on
