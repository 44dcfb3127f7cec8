"""JSON shapes for command work: documents, agencies, tasks, inspections and findings."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.command.domain import Cadence, Timing
from chongdich.command.models import (
    AgencyKind,
    ChecklistResult,
    DocumentKind,
    InspectionKind,
    Severity,
    TaskStatus,
)
from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef


class Ref(Schema):
    id: int
    name: str


# --- Agencies -----------------------------------------------------------------------------------


class AgencyFilters(PageIn):
    unit: str = Field("", description="Mã đơn vị: chỉ cơ quan thuộc đơn vị này")
    q: str = Field("", description="Tên cơ quan")


class AgencyIn(Schema):
    unit: str = Field(..., description="Mã đơn vị hành chính của cơ quan")
    name: str = Field(..., min_length=1, max_length=200)
    kind: AgencyKind = AgencyKind.OTHER
    short_name: str = Field("", max_length=60)
    head_name: str = Field("", max_length=150)
    head_title: str = Field("", max_length=150)
    head_account: str | None = Field(None, description="Tên đăng nhập của người đứng đầu")
    superior_id: int | None = None
    members: list[str] = Field([], description="Tên đăng nhập các cán bộ")


class AgencyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: AgencyKind | None = None
    short_name: str | None = Field(None, max_length=60)
    head_name: str | None = Field(None, max_length=150)
    head_title: str | None = Field(None, max_length=150)
    head_account: str | None = None
    superior_id: int | None = None
    members: list[str] | None = None
    is_active: bool | None = None


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: AgencyKind
    kind_label: str
    unit: UnitRef
    head_name: str
    head_title: str
    head_account: str | None = None
    superior: Ref | None = None
    is_active: bool

    @staticmethod
    def resolve_kind_label(agency) -> str:
        return agency.get_kind_display()

    @staticmethod
    def resolve_head_account(agency) -> str | None:
        return agency.head_account.username if agency.head_account_id else None

    @staticmethod
    def resolve_superior(agency):
        return {"id": agency.superior_id, "name": agency.superior.name} if agency.superior_id else None


# --- Tasks --------------------------------------------------------------------------------------


class TaskIn(Schema):
    """One task. Give `deadline` (a dated task), or `cadence` with `due_time` and `starts_on` (a
    recurring report), or neither (an ongoing duty)."""

    agency_id: int
    description: str = Field(..., min_length=1)
    point: str = Field("", max_length=20, description="Mục của văn bản")
    timing: Timing | None = Field(None, description="Mặc định: suy ra từ deadline / cadence")
    deadline: dt.datetime | None = None
    cadence: Cadence | None = None
    due_time: dt.time | None = Field(None, description="Giờ phải báo cáo, e.g. 17:00")
    weekday: int | None = Field(None, ge=0, le=6, description="Báo cáo hằng tuần: 0 = thứ Hai")
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    officer: str | None = Field(None, description="Tên đăng nhập người chịu trách nhiệm")
    officer_name: str = Field("", max_length=150)
    partner_ids: list[int] = Field([], description="Cơ quan phối hợp")


class TaskFilters(PageIn):
    status: str = Field("active", description="open, awaiting, closed, active, all, hoặc một trạng thái")
    agency: int | None = None
    document: int | None = None
    unit: str = Field("", description="Mã đơn vị: nhiệm vụ của các cơ quan thuộc đơn vị này")
    lateness: str = Field("", description="overdue, due_soon, on_track, no_deadline, awaiting, closed")
    q: str = ""


class DueReportOut(Schema):
    period: dt.date
    due_at: dt.datetime
    reported_at: dt.datetime | None = None
    status: str = Field(..., description="on_time, late, missing, pending")


class TaskOut(Schema):
    id: int
    document_id: int | None = None
    document: str | None = Field(None, description="Số, ngày của văn bản giao")
    finding_id: int | None = None
    point: str
    agency: Ref
    officer: str | None = None
    officer_name: str
    description: str
    timing: str
    deadline: dt.datetime | None = None
    cadence: str
    due_time: dt.time | None = None
    weekday: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    status: TaskStatus
    status_label: str
    lateness: str = Field(..., description="overdue, due_soon, on_track, no_deadline, awaiting, closed")
    next_due: dt.datetime | None = Field(None, description="Hạn, hoặc kỳ báo cáo tới")
    overdue_days: int = 0
    missing_reports: int = Field(0, description="Báo cáo định kỳ còn thiếu trong 31 ngày")
    done_at: dt.datetime | None = None
    verified_at: dt.datetime | None = None


class EventOut(Schema):
    kind: str
    status: str
    at: dt.datetime
    actor: str | None = None
    note: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class ReportOut(Schema):
    id: int
    text: str
    period: dt.date | None = None
    is_done: bool
    on_behalf: bool
    submitted_at: dt.datetime
    submitted_by: str | None = None
    attachments: list[AttachmentOut]


class EscalationOut(Schema):
    level: int
    due_at: dt.datetime
    period: dt.date | None = None
    escalated_at: dt.datetime
    to: str
    recipients: list[str]
    notified: bool


class TaskDetailOut(TaskOut):
    partners: list[Ref]
    history: list[EventOut]
    reports: list[ReportOut]
    escalations: list[EscalationOut]
    due_reports: list[DueReportOut]


class ReportIn(Schema):
    text: str = Field(..., min_length=1)
    done: bool = Field(False, description="Báo cáo hoàn thành: chờ Ban chỉ đạo xác nhận")
    period: dt.date | None = Field(None, description="Kỳ báo cáo (nhiệm vụ định kỳ); mặc định kỳ gần nhất chưa báo cáo")


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1)


class RescheduleIn(Schema):
    deadline: dt.datetime
    reason: str = Field(..., min_length=1)


class InboxOut(Schema):
    agency: AgencyOut
    owed: list[TaskOut]
    awaiting: list[TaskOut]
    closed: list[TaskOut]


# --- Documents ----------------------------------------------------------------------------------


class DocumentFilters(PageIn):
    kind: DocumentKind | None = None
    year: int | None = None
    q: str = Field("", description="Số ký hiệu, trích yếu hoặc cơ quan ban hành")
    in_force: bool = False


class DocumentIn(Schema):
    kind: DocumentKind
    number: str = Field("", max_length=40)
    issuing_body: str = Field(..., min_length=1, max_length=200)
    issued_on: dt.date
    title: str = Field(..., min_length=1, max_length=400)
    text: str = ""
    signer: str = Field("", max_length=200)
    recipients_text: str = ""
    references_text: str = ""
    effective_until: dt.date | None = None
    recipient_agency_ids: list[int] = []
    recipient_units: list[str] = Field([], description="Mã các đơn vị nhận")
    replaces_ids: list[int] = []
    follows_up_ids: list[int] = []
    tasks: list[TaskIn] = []


class DocumentPatch(Schema):
    kind: DocumentKind | None = None
    number: str | None = Field(None, max_length=40)
    issuing_body: str | None = Field(None, min_length=1, max_length=200)
    issued_on: dt.date | None = None
    title: str | None = Field(None, min_length=1, max_length=400)
    text: str | None = None
    signer: str | None = None
    recipients_text: str | None = None
    references_text: str | None = None
    effective_until: dt.date | None = None
    recipient_agency_ids: list[int] | None = None
    recipient_units: list[str] | None = None
    replaces_ids: list[int] | None = None
    follows_up_ids: list[int] | None = None


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    kind_label: str
    number: str
    reference: str
    issuing_body: str
    issued_on: dt.date
    title: str
    unit: UnitRef
    effective_until: dt.date | None = None


class DocumentRef(Schema):
    id: int
    reference: str
    title: str


class DocumentDetailOut(DocumentOut):
    text: str
    signer: str
    recipients_text: str
    references_text: str
    recipient_agencies: list[Ref]
    recipient_units: list[UnitRef]
    replaces: list[DocumentRef]
    replaced_by: list[DocumentRef]
    follows_up: list[DocumentRef]
    followed_up_by: list[DocumentRef]
    attachments: list[AttachmentOut]
    tasks: list[TaskOut]


# --- Inspections --------------------------------------------------------------------------------


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    leader: str | None = Field(None, description="Tên đăng nhập trưởng đoàn")
    leader_name: str = Field("", max_length=150)
    members: list[str] = []
    document_id: int | None = None
    note: str = ""


class TeamOut(Schema):
    id: int
    name: str
    unit: UnitRef
    leader: str | None = None
    leader_name: str
    members: list[str]


class InspectionIn(Schema):
    """A planned check (`team_id` required) or a leader's surprise check (`kind`: surprise)."""

    kind: InspectionKind = InspectionKind.PLANNED
    team_id: int | None = None
    inspected_unit: str = Field(..., description="Mã đơn vị được kiểm tra")
    inspected_agency_id: int | None = None
    scheduled_on: dt.date
    topic: str = Field("", max_length=300)
    draft_checklist: bool = Field(True, description="Lập danh mục kiểm tra từ các văn bản còn hiệu lực")


class ChecklistItemIn(Schema):
    text: str = Field(..., min_length=1)


class ChecklistItemPatch(Schema):
    result: ChecklistResult | None = None
    note: str | None = Field(None, max_length=500)
    text: str | None = Field(None, min_length=1)


class ChecklistItemOut(Schema):
    id: int
    text: str
    result: str
    note: str
    source_document_id: int | None = None
    source_task_id: int | None = None


class CompleteIn(Schema):
    carried_out_on: dt.date
    conclusion: str = ""


class FindingIn(Schema):
    text: str = Field(..., min_length=1)
    severity: Severity = Severity.MODERATE
    checklist_item_id: int | None = None
    agency_id: int | None = None


class FindingOut(Schema):
    id: int
    inspection_id: int
    text: str
    severity: str
    agency: Ref | None = None
    recorded_at: dt.datetime
    closed_at: dt.datetime | None = None
    close_note: str
    corrective_task_ids: list[int]


class InspectionOut(Schema):
    id: int
    kind: str
    status: str
    team: Ref | None = None
    led_by: str | None = None
    inspected_unit: UnitRef
    inspected_agency: Ref | None = None
    topic: str
    scheduled_on: dt.date
    carried_out_on: dt.date | None = None
    conclusion: str


class InspectionDetailOut(InspectionOut):
    checklist: list[ChecklistItemOut]
    findings: list[FindingOut]


class InspectionFilters(PageIn):
    kind: InspectionKind | None = None
    status: str = ""


class FindingFilters(PageIn):
    open: bool = Field(False, description="Chỉ các phát hiện chưa khắc phục xong")
