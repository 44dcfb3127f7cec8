"""/api/auth/token (username + password → bearer token) and /api/me."""

from __future__ import annotations

from ninja import Router

from chongdich.accounts import services
from chongdich.accounts.schemas import MeOut, TokenIn, TokenOut
from chongdich.core.api_support import Unauthenticated, actor_of, error_responses
from chongdich.core.errors import PermissionDenied

router = Router(tags=["auth"])


@router.post("/auth/token", auth=None, response={200: TokenOut, **error_responses(401, 422)})
def token_create(request, payload: TokenIn):
    """Exchange a username and password for a bearer token, shown once. Send it as
    `Authorization: Bearer <token>`."""
    try:
        key = services.token_create(username=payload.username, password=payload.password, name=payload.name)
    except PermissionDenied as exc:
        raise Unauthenticated(exc.message) from exc
    return {"token": key}


@router.get("/me", response={200: MeOut, **error_responses(401)})
def me(request):
    """The account behind the request: role, unit, what it may change."""
    return actor_of(request)
