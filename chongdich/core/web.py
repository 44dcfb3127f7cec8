"""What every page shares: domain errors onto forms, the htmx partial choice, and pagination that
stays fast on millions of rows."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.http import Http404

from chongdich.core.errors import DomainError, NotFound

LIST_COUNT_CAP = 10_000


def add_domain_error(form, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on the field it names when the form has that field,
    otherwise at the top. The form keeps what was typed."""
    field = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def template_for(request, template: str, partial: str) -> str:
    """The whole page, or only `partial` of it for an htmx request that targets that partial."""
    return f"{template}#{partial}" if getattr(request, "htmx", False) else template


def or_404(call, **kwargs):
    """Call a selector; 'not found' (missing or outside the actor's jurisdiction) becomes a 404."""
    try:
        return call(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def lookup(selector, field: str, **kwargs):
    """Call a selector for something typed into a form; its 'not found' becomes an error on
    that field (raised as NotFound with `.field` set, for add_domain_error)."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise NotFound(exc.message, field=field) from exc


class _CountedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, known_count: int):
        super().__init__(object_list, per_page)
        self._known_count = known_count

    @cached_property
    def count(self) -> int:
        return self._known_count


class OpenPage:
    """A page of a list that is not counted: it knows only whether another page follows.
    (Template-compatible with Django's Page, with `paginator = None`.)"""

    paginator = None

    def __init__(self, rows: list, number: int, has_next: bool):
        self.object_list, self.number, self._has_next = rows, number, has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def paginate(request, queryset, *, per_page: int = 50, exact_count: int | None = None,
             cap: int = LIST_COUNT_CAP, count: bool = True) -> tuple[Page | OpenPage, bool]:
    """A page of `queryset` from ?page=. Counting a million rows is what makes lists slow, so the
    count comes from `exact_count` when the caller knows it cheaply, and is otherwise capped at
    `cap` rows (returns `capped=True`: the page says "more than …" and stops paging there).
    `count=False` skips counting (text searches, which cannot use an index to count)."""
    if exact_count is None and not count:
        try:
            number = max(int(request.GET.get("page", 1)), 1)
        except ValueError:
            number = 1
        offset = (number - 1) * per_page
        rows = list(queryset[offset: offset + per_page + 1])
        return OpenPage(rows[:per_page], number, len(rows) > per_page), False
    if exact_count is None:
        counted = queryset.order_by()[: cap + 1].count()
        capped = counted > cap
        count_ = min(counted, cap)
    else:
        count_, capped = exact_count, False
    paginator = _CountedPaginator(queryset, per_page, known_count=count_)
    return paginator.get_page(request.GET.get("page")), capped


def query_without_page(request) -> str:
    """The current query string without `page`, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
