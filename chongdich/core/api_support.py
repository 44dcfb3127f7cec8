"""What every JSON endpoint shares: who is asking (bearer token or browser session), how domain
errors and validation errors become JSON, and page-number pagination.

Error bodies have one shape everywhere:
    {"error": code, "message": text for people, "field": the input at fault or null}
ProbableDuplicate adds "candidates"; validation errors add "errors" (one per field).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from chongdich.accounts.services import token_authenticate
from chongdich.core.errors import DomainError, NotFound, ProbableDuplicate

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

T = TypeVar("T")


# --- Authentication -------------------------------------------------------------------------


class Unauthenticated(DomainError):
    """No valid session or bearer token."""

    code = "unauthenticated"
    status = 401
    default_message = gettext_noop("Cần đăng nhập (phiên trình duyệt hoặc mã truy cập Bearer).")


class BearerTokenAuth(HttpBearer):
    """Machine clients: `Authorization: Bearer <token>` from POST /api/auth/token."""

    def authenticate(self, request: HttpRequest, token: str):
        return token_authenticate(token) if token else None


class BrowserSessionAuth(APIKeyCookie):
    """The logged-in browser session, CSRF-protected for unsafe methods. Unlike ninja's
    `django_auth`, the CSRF check runs only when a session user exists, so a machine client whose
    token was refused gets 401, not a CSRF 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("Thiếu hoặc sai mã CSRF."))
        return user

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover - unused
        return None


API_AUTH = [BearerTokenAuth(), BrowserSessionAuth()]


def actor_of(request: HttpRequest):
    """The account making the request (set by the auth classes above)."""
    return request.auth


def resolve(field: str, selector: Callable[..., T], **kwargs) -> T:
    """Resolve a reference from a request body through a selector: missing and outside the actor's
    jurisdiction both answer the selector's own 404, with the offending field named."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise NotFound(exc.message, field=field) from exc


# --- Errors ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    error: str
    message: str
    field: str | None = None


class CandidateOut(Schema):
    id: int
    full_name: str
    birth_year: int | None = None
    phone: str = Field("", description="Chỉ hiện 3 số cuối")
    commune: str = ""


class DuplicateOut(ErrorOut):
    candidates: list[CandidateOut] = []


class FieldErrorOut(Schema):
    field: str
    message: str
    type: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = []


ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: DuplicateOut, 422: ValidationErrorOut,
}


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """Error schemas for the OpenAPI description of an operation (all of them by default)."""
    return {c: ERRORS[c] for c in (codes or ERRORS)}


def mask_phone(phone: str) -> str:
    """Only the last three digits: enough to recognise a number, not to call it."""
    if not phone:
        return ""
    return "*" * max(len(phone) - 3, 0) + phone[-3:]


def candidate_body(person) -> dict:
    commune = getattr(person, "commune", None)
    return {
        "id": person.pk, "full_name": person.full_name, "birth_year": person.birth_year,
        "phone": mask_phone(person.phone), "commune": commune.name_with_type if commune else "",
    }


def error_body(exc: DomainError) -> dict:
    body = {"error": exc.code, "message": exc.message, "field": exc.field}
    if isinstance(exc, ProbableDuplicate):
        body["candidates"] = [candidate_body(p) for p in exc.candidates]
    return body


def _field_of(loc: Sequence[Any]) -> str:
    """('body', 'payload', 'person', 'phone') → 'person.phone'; ('query', 'page') → 'page'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "form", "file"}:
        parts = parts[2:]
    elif parts and parts[0] in {"query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_body(errors: Iterable[dict]) -> dict:
    items = [
        {"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", "")),
         "type": str(e.get("type", "invalid"))}
        for e in errors
    ]
    first = items[0] if items else {"field": "body", "message": _("Dữ liệu không hợp lệ.")}
    return {
        "error": "invalid",
        "message": f"{first['field']}: {first['message']}",
        "field": first["field"],
        "errors": items,
    }


def install_error_handlers(api: NinjaAPI) -> None:
    def domain_error(request, exc: DomainError):
        return api.create_response(request, error_body(exc), status=exc.status)

    def validation_error(request, exc: ValidationError):
        return api.create_response(request, validation_body(exc.errors), status=422)

    def unauthenticated(request, exc: AuthenticationError):
        return domain_error(request, Unauthenticated())

    def http_error(request, exc: HttpError):
        code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}
        body = {"error": code.get(exc.status_code, "error"), "message": str(exc),
                "field": "body" if exc.status_code == 400 else None}  # 400: the body is not JSON
        return api.create_response(request, body, status=exc.status_code)

    def not_found(request, exc: Http404):
        return domain_error(request, NotFound())

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)


# --- Pagination -----------------------------------------------------------------------------


class PageIn(Schema):
    page: int = Field(1, ge=1, description="Trang, bắt đầu từ 1")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Số mục mỗi trang")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def paginate(rows, params: PageIn, render: Callable[[Any], Any] | None = None) -> dict:
    """One page of a queryset (or list): {"count", "page", "page_size", "items"}.
    `render` turns each row into what the item schema reads (default: the row itself)."""
    size = min(params.page_size, MAX_PAGE_SIZE)
    start = (params.page - 1) * size
    count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    items = list(rows[start : start + size])
    if render is not None:
        items = [render(row) for row in items]
    return {"count": count, "page": params.page, "page_size": size, "items": items}
