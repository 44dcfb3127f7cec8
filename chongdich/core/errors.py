"""The domain error tree. Services raise these; the API and views translate them.

Messages are for people, so they are translated when the error is raised, in the language active
at that moment (the user's choice for a request): raise `InvalidInput(_("…"))` with
`from django.utils.translation import gettext as _`, and pass values as named placeholders,
`_("… %(value)s") % {"value": raw}`. An error raised without a message gets its class's
`default_message`, translated the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop


class DomainError(Exception):
    """A request the domain refuses. `message` is for people; `code` is for machines."""

    code = "domain_error"
    status = 400
    default_message = gettext_noop("Yêu cầu này không thực hiện được.")

    def __init__(self, message: str = "", *, field: str | None = None, **details):
        message = str(message or gettext(self.default_message))
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class NotFound(DomainError):
    """Not found."""

    code = "not_found"
    status = 404
    default_message = gettext_noop("Không tìm thấy.")


class PermissionDenied(DomainError):
    """You may see this, but your role may not change it."""

    code = "permission_denied"
    status = 403
    default_message = gettext_noop("Bạn được xem mục này, nhưng vai trò của bạn không được phép thay đổi nó.")


class InvalidInput(DomainError):
    """A value is not acceptable."""

    code = "invalid"
    status = 422
    default_message = gettext_noop("Giá trị không hợp lệ.")


class Conflict(DomainError):
    """The change conflicts with what is already recorded."""

    code = "conflict"
    status = 409
    default_message = gettext_noop("Thay đổi này mâu thuẫn với dữ liệu đã ghi nhận.")


class ProbableDuplicate(Conflict):
    """This person is probably registered already."""

    code = "probable_duplicate"
    default_message = gettext_noop("Người này có thể đã được đăng ký.")

    def __init__(self, message: str = "", *, candidates=(), **details):
        super().__init__(message, **details)
        self.candidates = list(candidates)
