"""JSON shapes for the inbox, the delivery log and notification preferences."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from chongdich.core.api_support import PageIn
from chongdich.geography.schemas import UnitRef


class NotificationFiltersIn(PageIn):
    unread: bool = Field(False, description="Chỉ thông báo chưa đọc")


class NotificationOut(Schema):
    id: int
    event: str
    event_label: str
    subject: str
    body: str
    url: str
    unit: UnitRef | None = None
    created_at: dt.datetime
    read_at: dt.datetime | None = None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class AttemptOut(Schema):
    number: int
    ok: bool
    response_code: int | None = None
    error: str
    started_at: dt.datetime
    duration_ms: int


class DeliveryOut(Schema):
    id: int
    notification_id: int
    event: str
    subject: str
    channel: str
    target: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    last_error: str
    created_at: dt.datetime
    attempt_log: list[AttemptOut]


class EventPreferenceOut(Schema):
    event: str
    label: str
    channels: dict[str, bool] = Field(..., description="in_app, email, webhook → bật/tắt")
    webhook_url: str = Field("", description="URL webhook riêng của loại sự kiện này (trống: dùng URL của tài khoản)")


class PreferencesOut(Schema):
    events: list[EventPreferenceOut]
    channels: list[str]
    webhook_url: str
    has_webhook_secret: bool
    email: str


class ChoiceIn(Schema):
    event: str
    channel: str
    enabled: bool | None = None
    webhook_url: str | None = Field(None, description="Chỉ cho kênh webhook; chuỗi rỗng: bỏ URL riêng")


class PreferencesIn(Schema):
    """Only what is sent changes. `webhook_secret`: the HMAC key for the X-ChongDich-Signature
    header ("" removes it); it is never returned."""

    choices: list[ChoiceIn] = []
    webhook_url: str | None = None
    webhook_secret: str | None = None
