"""A small command world for tests: the test province with its agencies and people, and a notice
of the provincial committee giving tasks to them (see core.testing for the geography).

    province: leader, secretary, health officer (member of Sở Y tế), propaganda officer
    district A: leader, UBND huyện A (peoples' committee)
    commune A1: officer (member of UBND xã A1)
    commune B1: officer "outsider" (member of UBND xã B1)
"""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from chongdich.accounts.models import User
from chongdich.command import services
from chongdich.command.domain import Cadence, Recurrence, Timing
from chongdich.command.models import AgencyKind, DocumentKind
from chongdich.command.services import NewTask
from chongdich.core import clock
from chongdich.core.testing import make_geography, make_user, personas


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in February–March 2020 (local time), when the seed notice was issued."""
    return timezone.make_aware(dt.datetime(2020, month, day, hour, minute))


class CommandWorld(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.units = u = make_geography()
        cls.users = personas(u)
        cls.leader = cls.users["province_leader"]
        cls.secretary = make_user(u["province"], User.Role.SECRETARY, full_name="Thư ký Tỉnh")
        cls.health_officer = make_user(u["province"], User.Role.OFFICER, full_name="Cán bộ Sở Y tế")
        cls.propaganda_officer = make_user(u["province"], User.Role.OFFICER, full_name="Cán bộ Tuyên giáo")
        cls.district_leader = make_user(u["district_a"], User.Role.LEADER, full_name="Lãnh đạo huyện A")
        cls.commune_officer = cls.users["commune_officer"]
        cls.outsider = cls.users["outsider"]
        with clock.frozen_at(at(2, 10)):
            cls.health = services.agency_create(actor=cls.secretary, unit=u["province"], name="Sở Y tế",
                                                kind=AgencyKind.HEALTH, head_name="Giám đốc Sở",
                                                members=[cls.health_officer])
            cls.cdc = services.agency_create(actor=cls.secretary, unit=u["province"], name="CDC tỉnh",
                                             kind=AgencyKind.HEALTH, superior=cls.health)
            cls.propaganda = services.agency_create(actor=cls.secretary, unit=u["province"],
                                                    name="Ban Tuyên giáo Tỉnh ủy", kind=AgencyKind.PROPAGANDA,
                                                    members=[cls.propaganda_officer])
            cls.district_committee = services.agency_create(actor=cls.secretary, unit=u["district_a"],
                                                            name="UBND huyện A", kind=AgencyKind.PEOPLES_COMMITTEE)
            cls.commune_a1 = services.agency_create(actor=cls.secretary, unit=u["commune_a1"], name="UBND xã A1",
                                                    kind=AgencyKind.PEOPLES_COMMITTEE, members=[cls.commune_officer])
            cls.commune_b1 = services.agency_create(actor=cls.secretary, unit=u["commune_b1"], name="UBND xã B1",
                                                    kind=AgencyKind.PEOPLES_COMMITTEE, members=[cls.outsider])

    def setUp(self):
        self.freeze(at(2, 20))

    def freeze(self, moment: dt.datetime) -> None:
        frozen = clock.frozen_at(moment)
        frozen.__enter__()
        self.addCleanup(frozen.__exit__, None, None, None)

    def notice(self, *tasks: NewTask, number: str = "", **extra):
        fields = {"kind": DocumentKind.NOTICE, "title": "Ý kiến của Ban Thường vụ Tỉnh ủy về phòng, chống dịch",
                  "issuing_body": "Ban Thường vụ Tỉnh ủy", "issued_on": dt.date(2020, 2, 19), "number": number}
        return services.document_create(actor=self.secretary, unit=self.units["province"], tasks=list(tasks),
                                        **(fields | extra))

    def task(self, agency=None, *, deadline: dt.datetime | None = None, **extra):
        """One task under a new notice: with a deadline when given, else ongoing."""
        spec = NewTask(agency=agency or self.health, description=extra.pop("description", "Rà soát vật tư y tế"),
                       timing=Timing.DEADLINE if deadline else Timing.ONGOING, deadline=deadline, **extra)
        return self.notice(spec).tasks.get()

    def daily_task(self, agency=None, *, starts_on=dt.date(2020, 2, 20), due_time=dt.time(17, 0), **extra):
        spec = NewTask(agency=agency or self.health, description="Báo cáo tình hình dịch hằng ngày trước 17 giờ",
                       timing=Timing.RECURRING,
                       recurrence=Recurrence(cadence=Cadence.DAILY, due_time=due_time, starts_on=starts_on, **extra))
        return self.notice(spec).tasks.get()
