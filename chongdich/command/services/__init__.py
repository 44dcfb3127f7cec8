"""Every write of command work, in one namespace: `from chongdich.command import services`.
Documents and files, agencies, tasks (assign, report, verify…), escalation, inspections."""

from chongdich.command.services.agencies import agency_create, agency_update
from chongdich.command.services.documents import (
    attachment_remove,
    document_add_tasks,
    document_attach,
    document_create,
    document_update,
)
from chongdich.command.services.escalation import (
    next_escalation_check,
    superior_chain,
    task_escalate,
    task_escalate_overdue,
)
from chongdich.command.services.inspections import (
    checklist_item_add,
    checklist_item_remove,
    checklist_item_update,
    finding_assign_task,
    finding_close,
    finding_record,
    inspection_cancel,
    inspection_checklist_draft,
    inspection_complete,
    inspection_record_surprise,
    inspection_schedule,
    team_create,
    team_update,
)
from chongdich.command.services.tasks import (
    NewTask,
    task_assign,
    task_cancel,
    task_report,
    task_reschedule,
    task_send_back,
    task_set_officer,
    task_start,
    task_verify,
)

__all__ = [
    "NewTask", "agency_create", "agency_update", "attachment_remove", "checklist_item_add",
    "checklist_item_remove", "checklist_item_update", "document_add_tasks", "document_attach", "document_create",
    "document_update", "finding_assign_task", "finding_close", "finding_record", "inspection_cancel",
    "inspection_checklist_draft", "inspection_complete", "inspection_record_surprise",
    "inspection_schedule", "next_escalation_check", "superior_chain", "task_assign", "task_cancel",
    "task_escalate", "task_escalate_overdue",
    "task_report", "task_reschedule", "task_send_back", "task_set_officer", "task_start",
    "task_verify", "team_create", "team_update",
]
