"""Writes of risk levels: run a week's assessment, the committee's decisions (confirm or override,
with the 48-hour notice for a raise), capacity statements, and new versions of rule sets.

Who decides (Resolution 128/NQ-CP): the province decides for itself and its districts (and may for
communes), a district for its communes; a commune does not decide its own level. A national
account decides anywhere."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.errors import Conflict, InvalidInput, PermissionDenied
from chongdich.core.jurisdiction import (
    covers,
    may_add_national_rules,
    require_visible,
    require_write,
)
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.risk import assess, domain, selectors
from chongdich.risk.models import (
    Assessment,
    CapacityStatement,
    DecisionKind,
    LevelDecision,
    RiskRuleSet,
)

RAISE_NOTICE = dt.timedelta(hours=48)


def _rule_set(week: dt.date, rule_set: RiskRuleSet | None) -> RiskRuleSet:
    chosen = rule_set or selectors.rule_set_for_week(week)
    if chosen is None:
        raise Conflict(_("Chưa có bộ tiêu chí đánh giá cấp độ dịch nào."), field="rule_set")
    return chosen


def assessments_compute(*, week: dt.date, province: AdminUnit | None = None,
                        rule_set: RiskRuleSet | None = None) -> assess.AssessRun:
    """The system's weekly run (command, task): no actor, every unit in scope."""
    with transaction.atomic():
        return assess.assess_week(week=week, rule_set=_rule_set(week, rule_set),
                                  province_id=province.pk if province else None)


def assessment_run(*, actor, week: dt.date, province: AdminUnit | None = None,
                   rule_set: RiskRuleSet | None = None) -> assess.AssessRun:
    """An officer re-runs a week: a province (their own, or any for a national account)."""
    if province is None:
        if actor.unit is not None:
            province = actor.unit.province or actor.unit
        elif not (actor.is_national or actor.is_superuser):
            raise PermissionDenied()
    if province is not None:
        if actor.unit is not None and actor.unit.level != UnitLevel.PROVINCE:
            raise PermissionDenied(_("Chỉ cấp tỉnh hoặc cấp quốc gia chạy đánh giá cấp độ dịch."))
        require_write(actor, province, "assess_levels")
    elif not actor.can("assess_levels"):
        raise PermissionDenied()
    return assessments_compute(week=week, province=province, rule_set=rule_set)


def may_decide(actor, unit: AdminUnit) -> bool:
    """Resolution 128: the level above decides; a province also decides for itself."""
    if not actor.can("decide_levels") or not covers(actor, unit):
        return False
    own = actor.unit
    if own is None:
        return True
    if own.level == UnitLevel.COMMUNE:
        return False
    return own.level == UnitLevel.PROVINCE or unit.pk != own.pk


def effective_moment(*, raising: bool, announced_at: dt.datetime, requested: dt.datetime | None) -> dt.datetime:
    """A raise takes effect no sooner than 48 hours after it is announced; a lowering (or the same
    level) when asked, at once by default."""
    wanted = requested or announced_at
    return max(wanted, announced_at + RAISE_NOTICE) if raising else wanted


@transaction.atomic
def level_decide(*, actor, unit: AdminUnit, week: dt.date, level: int, reason: str = "",
                 effective_at: dt.datetime | None = None) -> LevelDecision:
    """Confirm the computed level of a unit's week, or decide another with a reason."""
    require_visible(actor, unit)
    if not may_decide(actor, unit):
        raise PermissionDenied(_("Cấp độ dịch của %(unit)s do cấp trên quyết định.") % {"unit": unit.name_with_type}
                               if actor.can("decide_levels") else "")
    if level not in domain.LEVELS:
        raise InvalidInput(_("Cấp độ phải từ 1 đến 4."), field="level")
    monday = selectors.week_monday(week)
    assessment = Assessment.objects.filter(unit=unit, week=monday).first()
    reason = (reason or "").strip()
    kind = DecisionKind.CONFIRM if assessment and assessment.level == level else DecisionKind.OVERRIDE
    if kind == DecisionKind.OVERRIDE and not reason:
        raise InvalidInput(_("Quyết định khác mức tính toán cần nêu lý do."), field="reason")
    now = clock.now()
    previous = selectors.level_in_force(unit=unit, at=now)
    raising = level > (previous if previous is not None else 1)
    decision = LevelDecision.objects.create(
        unit=unit, week=monday, assessment=assessment, kind=kind, level=level, previous_level=previous,
        reason=reason, announced_at=now, decided_by=actor,
        effective_at=effective_moment(raising=raising, announced_at=now, requested=effective_at))
    if raising:
        transaction.on_commit(lambda: _notify_raise(decision))
    return decision


def _notify_raise(decision: LevelDecision) -> None:
    from chongdich.accounts.models import User
    from chongdich.notifications.services import notify

    unit = decision.unit
    recipients = list(User.objects.filter(unit=unit, is_active=True))
    if not recipients:
        return
    local = timezone.localtime(decision.effective_at)
    notify(recipients=recipients, event="risk_level_raised", unit=unit,
           subject=_("%(unit)s lên cấp %(level)s") % {"unit": unit.name_with_type, "level": decision.level},
           body=_("Cấp độ dịch của %(unit)s được nâng lên cấp %(level)s, có hiệu lực từ %(when)s.%(reason)s") % {
               "unit": unit.name_with_type, "level": decision.level, "when": local.strftime("%H:%M %d/%m/%Y"),
               "reason": f" {decision.reason}" if decision.reason else ""},
           url=reverse("risk:unit", args=[unit.code]))


@transaction.atomic
def capacity_record(*, actor, unit: AdminUnit, met: bool, as_of: dt.date | None = None,
                    icu_ready: bool | None = None, oxygen_at_every_station: bool | None = None,
                    mobile_stations: int | None = None, note: str = "") -> CapacityStatement:
    """The committee states whether a unit meets the treatment-capacity criterion (from a day on)."""
    require_write(actor, unit, "record_capacity")
    if mobile_stations is not None and mobile_stations < 0:
        raise InvalidInput(_("Số trạm y tế lưu động không được âm."), field="mobile_stations")
    return CapacityStatement.objects.create(
        unit=unit, as_of=as_of or clock.today(), met=bool(met), icu_ready=icu_ready,
        oxygen_at_every_station=oxygen_at_every_station, mobile_stations=mobile_stations,
        note=(note or "").strip(), recorded_by=actor, recorded_at=clock.now())


may_add_rule_sets = may_add_national_rules  # the pages ask this app's services


@transaction.atomic
def rule_set_create(*, actor, code: str, name: str, legal_source: str, valid_from: dt.date, rules: dict,
                    valid_to: dt.date | None = None, needs_verification: bool = True, note: str = "",
                    is_default: bool = False) -> RiskRuleSet:
    """Add a version of the criteria. A version is never edited: a change is a new version with
    its own legal source and the day it applies from."""
    if not may_add_rule_sets(actor):
        raise PermissionDenied(_("Bộ tiêu chí áp dụng cho cả nước: chỉ lãnh đạo hoặc cán bộ dịch tễ "
                                 "cấp quốc gia được thêm phiên bản mới."))
    code, name, legal_source = (code or "").strip(), (name or "").strip(), (legal_source or "").strip()
    for field, value in (("code", code), ("name", name), ("legal_source", legal_source)):
        if not value:
            raise InvalidInput(_("Trường này không được để trống."), field=field)
    if valid_from is None:
        raise InvalidInput(_("Cần ngày bắt đầu áp dụng."), field="valid_from")
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput(_("Ngày hết hiệu lực phải sau ngày bắt đầu."), field="valid_to")
    if errors := domain.rule_set_errors(rules):
        field, message = errors[0]
        raise InvalidInput(message, field="rules")
    if RiskRuleSet.objects.filter(code=code).exists():
        raise Conflict(_("Mã bộ tiêu chí %(code)s đã có.") % {"code": code}, field="code")
    if is_default:
        RiskRuleSet.objects.filter(is_default=True).update(is_default=False)
    return RiskRuleSet.objects.create(code=code[:40], name=name[:200], legal_source=legal_source[:300],
                                      valid_from=valid_from, valid_to=valid_to, rules=rules, is_default=is_default,
                                      needs_verification=needs_verification, note=(note or "").strip(),
                                      created_by=actor)
