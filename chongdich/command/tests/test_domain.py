"""Rules of command work as tables of data (no database)."""

import datetime as dt
import zoneinfo

from django.test import SimpleTestCase

from chongdich.command import domain
from chongdich.command.domain import (
    Action,
    Cadence,
    Lateness,
    Occurrence,
    Recurrence,
    Status,
    Timing,
)
from chongdich.core.errors import Conflict, InvalidInput

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def t(day: int, hour: int = 9, minute: int = 0, month: int = 2) -> dt.datetime:
    return dt.datetime(2020, month, day, hour, minute, tzinfo=TZ)


def d(day: int, month: int = 2) -> dt.date:
    return dt.date(2020, month, day)


class NumberTests(SimpleTestCase):
    TABLE = [
        ("2032-TB/TU", "2032-TB/TU"),
        ("2033 -TB/TU", "2033-TB/TU"),
        (" 06-ct/tu ", "06-CT/TU"),
        ("36/BC-UBND", "36/BC-UBND"),
        ("12/QĐ-bcđ", "12/QĐ-BCĐ"),
        ("", ""),
    ]

    def test_numbers_are_written_one_way(self):
        for raw, expected in self.TABLE:
            with self.subTest(raw=raw):
                self.assertEqual(domain.normalise_number(raw), expected)


class TransitionTests(SimpleTestCase):
    # (status, action, status after, or None when refused)
    TABLE = [
        (Status.ASSIGNED, Action.START, Status.IN_PROGRESS),
        (Status.SENT_BACK, Action.START, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Action.START, None),
        (Status.ASSIGNED, Action.REPORT, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Action.REPORT, Status.IN_PROGRESS),
        (Status.REPORTED_DONE, Action.REPORT, None),
        (Status.ASSIGNED, Action.REPORT_DONE, Status.REPORTED_DONE),
        (Status.SENT_BACK, Action.REPORT_DONE, Status.REPORTED_DONE),
        (Status.VERIFIED, Action.REPORT_DONE, None),
        (Status.REPORTED_DONE, Action.VERIFY, Status.VERIFIED),
        (Status.IN_PROGRESS, Action.VERIFY, None),
        (Status.REPORTED_DONE, Action.SEND_BACK, Status.SENT_BACK),
        (Status.VERIFIED, Action.SEND_BACK, None),
        (Status.IN_PROGRESS, Action.CANCEL, Status.CANCELLED),
        (Status.REPORTED_DONE, Action.CANCEL, Status.CANCELLED),
        (Status.VERIFIED, Action.CANCEL, None),
        (Status.CANCELLED, Action.RESCHEDULE, None),
        (Status.IN_PROGRESS, Action.RESCHEDULE, Status.IN_PROGRESS),
    ]

    def test_each_action_moves_a_task_from_the_statuses_it_allows(self):
        for status, action, after in self.TABLE:
            with self.subTest(status=status, action=action):
                if after is None:
                    with self.assertRaises(Conflict):
                        domain.next_status(status, action)
                else:
                    self.assertEqual(domain.next_status(status, action), after)


class RecurrenceTests(SimpleTestCase):
    def test_a_daily_report_falls_due_every_day_until_it_ends(self):
        r = Recurrence(Cadence.DAILY, dt.time(17), starts_on=d(20), ends_on=d(23))
        self.assertEqual(r.periods(until=d(28)), [d(20), d(21), d(22), d(23)])

    def test_a_weekly_report_falls_on_its_weekday(self):
        r = Recurrence(Cadence.WEEKLY, dt.time(10), starts_on=d(20), weekday=0)  # Thursday 20/2; Mondays
        self.assertEqual(r.periods(until=d(9, 3)), [d(24), d(2, 3), d(9, 3)])

    def test_periods_can_start_later_than_the_cadence(self):
        r = Recurrence(Cadence.DAILY, dt.time(17), starts_on=d(1))
        self.assertEqual(r.periods(since=d(27), until=d(29)), [d(27), d(28), d(29)])

    def test_a_report_is_due_at_its_local_time(self):
        r = Recurrence(Cadence.DAILY, dt.time(17), starts_on=d(20))
        self.assertEqual(r.due_at(d(21), TZ), t(21, 17))

    def test_a_weekly_report_needs_a_weekday(self):
        with self.assertRaises(InvalidInput):
            Recurrence(Cadence.WEEKLY, dt.time(17), starts_on=d(20)).validate()

    def test_an_end_before_the_start_is_refused(self):
        with self.assertRaises(InvalidInput):
            Recurrence(Cadence.DAILY, dt.time(17), starts_on=d(20), ends_on=d(19)).validate()

    # (reported at, now, status) for a report due 21/2 17:00
    OCCURRENCES = [
        (t(21, 16), t(22), Occurrence.ON_TIME),
        (t(21, 17), t(22), Occurrence.ON_TIME),
        (t(21, 18), t(22), Occurrence.LATE),
        (None, t(21, 17, 1), Occurrence.MISSING),
        (None, t(21, 16), Occurrence.PENDING),
    ]

    def test_each_occurrence_is_on_time_late_missing_or_pending(self):
        for reported, now, expected in self.OCCURRENCES:
            with self.subTest(reported=reported, now=now):
                self.assertEqual(domain.occurrence_status(t(21, 17), reported, now), expected)

    def test_due_reports_count_the_first_report_of_each_period(self):
        r = Recurrence(Cadence.DAILY, dt.time(17), starts_on=d(20))
        reports = domain.due_reports(r, {d(20): t(20, 16), d(21): t(21, 20)}, now=t(23, 12), tz=TZ)
        self.assertEqual([x.status for x in reports],
                         [Occurrence.ON_TIME, Occurrence.LATE, Occurrence.MISSING, Occurrence.PENDING])

    def test_a_new_report_answers_the_latest_period_not_yet_reported(self):
        r = Recurrence(Cadence.DAILY, dt.time(17), starts_on=d(20))
        reports = domain.due_reports(r, {d(20): t(20, 16)}, now=t(22, 18), tz=TZ)
        self.assertEqual(domain.default_period(reports), d(22))


class LatenessTests(SimpleTestCase):
    NOW = t(20, 12)
    # (status, timing, deadline, latest recurring report, next due, expected)
    TABLE = [
        (Status.IN_PROGRESS, Timing.DEADLINE, t(19, 17), None, None, Lateness.OVERDUE),
        (Status.ASSIGNED, Timing.DEADLINE, t(22, 17), None, None, Lateness.DUE_SOON),
        (Status.ASSIGNED, Timing.DEADLINE, t(29, 17), None, None, Lateness.ON_TRACK),
        (Status.REPORTED_DONE, Timing.DEADLINE, t(19, 17), None, None, Lateness.AWAITING),
        (Status.VERIFIED, Timing.DEADLINE, t(19, 17), None, None, Lateness.CLOSED),
        (Status.SENT_BACK, Timing.DEADLINE, t(19, 17), None, None, Lateness.OVERDUE),
        (Status.IN_PROGRESS, Timing.RECURRING, None, Occurrence.MISSING, t(20, 17), Lateness.OVERDUE),
        (Status.IN_PROGRESS, Timing.RECURRING, None, Occurrence.LATE, t(20, 17), Lateness.DUE_SOON),
        (Status.IN_PROGRESS, Timing.ONGOING, None, None, None, Lateness.NO_DEADLINE),
        (Status.CANCELLED, Timing.ONGOING, None, None, None, Lateness.CLOSED),
    ]

    def test_where_a_task_stands_against_its_time(self):
        for status, timing, deadline, latest, next_due, expected in self.TABLE:
            with self.subTest(status=status, timing=timing, deadline=deadline):
                self.assertEqual(domain.lateness(status=status, timing=timing, deadline=deadline, now=self.NOW,
                                                 latest_report=latest, next_due=next_due), expected)


class EscalationLevelTests(SimpleTestCase):
    STEP = dt.timedelta(hours=24)
    # (now, levels in the chain, levels reached) for a deadline 20/2 17:00
    TABLE = [
        (t(20, 16), 3, []),
        (t(20, 17), 3, []),
        (t(20, 17, 1), 3, [1]),
        (t(21, 16), 3, [1]),
        (t(21, 17, 1), 3, [1, 2]),
        (t(28), 3, [1, 2, 3]),
        (t(28), 1, [1]),
        (t(28), 0, []),
    ]

    def test_a_late_task_climbs_one_level_per_step(self):
        for now, levels, expected in self.TABLE:
            with self.subTest(now=now, levels=levels):
                self.assertEqual(domain.escalation_levels_due(t(20, 17), now, step=self.STEP, levels=levels),
                                 expected)

    def test_the_next_level_comes_one_step_after_the_last(self):
        self.assertEqual(domain.next_level_at(t(20, 17), step=self.STEP, done=1, levels=3), t(21, 17))
        self.assertIsNone(domain.next_level_at(t(20, 17), step=self.STEP, done=3, levels=3))


class FileCheckTests(SimpleTestCase):
    MB = 2**20
    # (name, size, first bytes, allowed kinds, accepted?)
    TABLE = [
        ("thong-bao.pdf", 1000, b"%PDF-1.7", domain.DOCUMENT_FILES, True),
        ("THONG-BAO.PDF", 1000, b"%PDF-1.4", domain.DOCUMENT_FILES, True),
        ("ke-hoach.docx", 1000, b"PK\x03\x04rest", domain.DOCUMENT_FILES, True),
        ("virus.pdf", 1000, b"MZ\x90\x00", domain.DOCUMENT_FILES, False),
        ("anh.jpg", 1000, b"\xff\xd8\xff\xe0", domain.DOCUMENT_FILES, False),
        ("anh.jpg", 1000, b"\xff\xd8\xff\xe0", domain.REPORT_FILES, True),
        ("bang.xlsx", 1000, b"PK\x03\x04", domain.REPORT_FILES, True),
        ("script.exe", 1000, b"MZ", domain.REPORT_FILES, False),
        ("rong.pdf", 0, b"", domain.DOCUMENT_FILES, False),
        ("lon.pdf", 21 * MB, b"%PDF-1.7", domain.DOCUMENT_FILES, False),
        ("khong-duoi", 1000, b"%PDF-1.7", domain.DOCUMENT_FILES, False),
    ]

    def test_only_allowed_kinds_of_allowed_size_with_the_right_first_bytes_pass(self):
        for name, size, head, allowed, ok in self.TABLE:
            with self.subTest(name=name, allowed=allowed):
                if ok:
                    domain.check_file(name=name, size=size, head=head, allowed=allowed, max_bytes=20 * self.MB)
                else:
                    with self.assertRaises(InvalidInput):
                        domain.check_file(name=name, size=size, head=head, allowed=allowed, max_bytes=20 * self.MB)
