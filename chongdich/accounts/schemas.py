"""JSON shapes for authentication and the current account."""

from __future__ import annotations

from ninja import Field, Schema

from chongdich.accounts.domain import CAPABILITIES


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1)
    name: str = Field("", max_length=100, description="Tên gợi nhớ của mã (máy chủ, tích hợp…)")


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    unit_code: str | None = None
    unit_name: str | None = None
    capabilities: list[str]

    @staticmethod
    def resolve_role_label(user) -> str:
        return user.get_role_display()

    @staticmethod
    def resolve_unit_code(user) -> str | None:
        return user.unit.code if user.unit_id else None

    @staticmethod
    def resolve_unit_name(user) -> str | None:
        return user.unit.name_with_type if user.unit_id else None

    @staticmethod
    def resolve_capabilities(user) -> list[str]:
        return sorted(c for c in CAPABILITIES if user.can(c))
