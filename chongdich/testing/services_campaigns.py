"""Writes for screening campaigns (a target group in an area over dates, with a list of people or a
headcount) and laboratories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.core.errors import Conflict, InvalidInput, NotFound
from chongdich.core.jurisdiction import require_write
from chongdich.geography.models import AdminUnit, UnitLevel
from chongdich.people.models import Person
from chongdich.testing import domain
from chongdich.testing.access import person_visible
from chongdich.testing.models import (
    CampaignMember,
    Laboratory,
    SampleKind,
    ScreeningCampaign,
    TargetGroup,
)

CAMPAIGN_FIELDS = {"name", "target_group", "target_note", "starts_on", "ends_on", "target_headcount",
                   "pool_size", "sample_kind", "note"}


def _keys(unit: AdminUnit) -> dict:
    """A campaign's jurisdiction keys: its own unit at its level, null below it."""
    if unit.level == UnitLevel.PROVINCE:
        return {"province_id": unit.pk, "district_id": None, "commune_id": None}
    if unit.level == UnitLevel.DISTRICT:
        return {"province_id": unit.province_id, "district_id": unit.pk, "commune_id": None}
    return unit.jurisdiction_keys()


def _validate(campaign: ScreeningCampaign) -> None:
    if not (campaign.name or "").strip():
        raise InvalidInput(_("Tên chiến dịch không được để trống."), field="name")
    if campaign.target_group not in TargetGroup.values:
        raise InvalidInput(_("Giá trị không hợp lệ: %(value)s") % {"value": campaign.target_group},
                           field="target_group")
    if campaign.sample_kind not in SampleKind.values:
        raise InvalidInput(_("Giá trị không hợp lệ: %(value)s") % {"value": campaign.sample_kind},
                           field="sample_kind")
    if campaign.ends_on < campaign.starts_on:
        raise InvalidInput(_("Ngày kết thúc trước ngày bắt đầu."), field="ends_on")
    if problem := domain.campaign_pool_size_error(campaign.pool_size):
        raise InvalidInput(problem, field="pool_size")
    if campaign.target_headcount is not None and campaign.target_headcount < 0:
        raise InvalidInput(_("Số người cần lấy mẫu không được âm."), field="target_headcount")


@transaction.atomic
def campaign_create(
    *, actor, unit: AdminUnit, name: str, target_group: str, starts_on: dt.date, ends_on: dt.date,
    target_note: str = "", target_headcount: int | None = None, pool_size: int | None = None,
    sample_kind: str = SampleKind.RT_PCR, note: str = "",
) -> ScreeningCampaign:
    """A screening campaign over `unit` (a province, district or commune)."""
    if unit is None:
        raise InvalidInput(_("Cần chọn địa bàn của chiến dịch."), field="unit")
    require_write(actor, unit, "manage_campaigns")
    campaign = ScreeningCampaign(
        name=(name or "").strip(), target_group=target_group, target_note=(target_note or "").strip(),
        unit=unit, starts_on=starts_on, ends_on=ends_on, target_headcount=target_headcount,
        pool_size=pool_size, sample_kind=sample_kind, note=(note or "").strip(), created_by=actor,
        **_keys(unit),
    )
    _validate(campaign)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: ScreeningCampaign, **changes) -> ScreeningCampaign:
    """Change a campaign's name, group, dates, headcount, pool size or note (not its area: a
    campaign elsewhere is another campaign)."""
    require_write(actor, campaign.unit, "manage_campaigns")
    if unknown := set(changes) - CAMPAIGN_FIELDS:
        raise InvalidInput(_("Không sửa được: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        setattr(campaign, field, value.strip() if isinstance(value, str) else value)
    _validate(campaign)
    if "starts_on" in changes or "ends_on" in changes:
        outside = campaign.samples.exclude(taken_on__range=(campaign.starts_on, campaign.ends_on))
        if outside.exists():
            raise Conflict(_("Đã có mẫu lấy ngoài khoảng thời gian mới."), field="starts_on")
    campaign.save()
    return campaign


@transaction.atomic
def campaign_delete(*, actor, campaign: ScreeningCampaign) -> None:
    """Remove a campaign entered by mistake; one with samples stays (its figures are history)."""
    require_write(actor, campaign.unit, "manage_campaigns")
    if campaign.samples.exists() or campaign.pools.exists():
        raise Conflict(_("Chiến dịch đã có mẫu xét nghiệm: không xoá được."))
    campaign.delete()


@transaction.atomic
def campaign_members_add(*, actor, campaign: ScreeningCampaign, people: Sequence[Person]) -> int:
    """Put people on the campaign's list (those already on it are skipped). Returns how many
    were added."""
    require_write(actor, campaign.unit, "manage_campaigns")
    for person in people:
        if not person_visible(actor, person):
            raise NotFound(_("Không tìm thấy người này."), field="people")
    wanted = {p.pk for p in people}
    present = set(CampaignMember.objects.filter(campaign=campaign, person_id__in=wanted)
                  .values_list("person_id", flat=True))
    new = [CampaignMember(campaign=campaign, person_id=pk) for pk in sorted(wanted - present)]
    CampaignMember.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def campaign_members_remove(*, actor, campaign: ScreeningCampaign, people: Sequence[Person]) -> int:
    require_write(actor, campaign.unit, "manage_campaigns")
    deleted, _details = CampaignMember.objects.filter(
        campaign=campaign, person_id__in=[p.pk for p in people]).delete()
    return deleted


@transaction.atomic
def laboratory_create(*, actor, code: str, name: str, unit: AdminUnit) -> Laboratory:
    """A laboratory that returns results, belonging to a unit (the province CDC, a hospital)."""
    if unit is None:
        raise InvalidInput(_("Cần chọn đơn vị của phòng xét nghiệm."), field="unit")
    require_write(actor, unit, "manage_laboratories")
    code, name = (code or "").strip().upper(), (name or "").strip()
    if not code:
        raise InvalidInput(_("Mã phòng xét nghiệm không được để trống."), field="code")
    if not name:
        raise InvalidInput(_("Tên phòng xét nghiệm không được để trống."), field="name")
    if Laboratory.objects.filter(code=code).exists():
        raise Conflict(_("Mã phòng xét nghiệm %(code)s đã có.") % {"code": code}, field="code")
    try:
        with transaction.atomic():
            return Laboratory.objects.create(code=code, name=name, unit=unit)
    except IntegrityError as exc:
        raise Conflict(_("Mã phòng xét nghiệm %(code)s đã có.") % {"code": code}, field="code") from exc
