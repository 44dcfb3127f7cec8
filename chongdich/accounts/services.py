from __future__ import annotations

import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.accounts.models import ApiToken, User
from chongdich.core import clock
from chongdich.core.errors import InvalidInput, PermissionDenied


@transaction.atomic
def token_create(*, username: str, password: str, name: str = "") -> str:
    """Exchange a username and password for a new bearer token (returned once, stored hashed)."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise PermissionDenied(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), prefix=key[:8], name=name[:100])
    return key


def token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_create(*, username: str, password: str, unit, role: str, full_name: str = "", **extra) -> User:
    if role not in User.Role.values:
        raise InvalidInput(_("Vai trò không hợp lệ: %(value)s") % {"value": role}, field="role")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(_("Tên đăng nhập đã được dùng."), field="username")
    return User.objects.create_user(
        username=username, password=password, unit=unit, role=role, full_name=full_name, **extra
    )
