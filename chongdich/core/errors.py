"""The domain error tree. Services raise these; the API and views translate them."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. `message` is for people; `code` is for machines."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str = "", *, field: str | None = None, **details):
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.field = field
        self.details = details


class NotFound(DomainError):
    """Not found."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    """You may see this, but your role may not change it."""

    code = "permission_denied"
    status = 403


class InvalidInput(DomainError):
    """A value is not acceptable."""

    code = "invalid"
    status = 422


class Conflict(DomainError):
    """The change conflicts with what is already recorded."""

    code = "conflict"
    status = 409


class ProbableDuplicate(Conflict):
    """This person is probably registered already."""

    code = "probable_duplicate"

    def __init__(self, message: str = "", *, candidates=(), **details):
        super().__init__(message, **details)
        self.candidates = list(candidates)
