"""Extension points for other apps (cases knows nothing of them; they register here, in their
AppConfig.ready()).

`case_confirmed_hooks`: called with the ids of newly confirmed cases (F0), inside the transaction
that saved them, by `case_register` (every way in: pages, API, imports, confirmed proposals).
`contact_added_hooks`: called with the ids of newly recorded `Contact` rows, inside the
transaction that saved them, by `contact_add` and by any bulk service that records contacts.

A hook that raises rolls the whole write back, so a hook does little inline: heavy work goes to a
task queued with `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Callable

case_confirmed_hooks: list[Callable[[list[int]], None]] = []
contact_added_hooks: list[Callable[[list[int]], None]] = []


def _run(hooks: list[Callable[[list[int]], None]], ids: list[int]) -> None:
    if not ids:
        return
    for hook in list(hooks):
        hook(list(ids))


def run_case_confirmed(case_ids: list[int]) -> None:
    _run(case_confirmed_hooks, case_ids)


def run_contact_added(contact_ids: list[int]) -> None:
    _run(contact_added_hooks, contact_ids)


def register(hooks: list, hook: Callable[[list[int]], None]) -> None:
    """Add `hook` once (ready() may run more than once in tests)."""
    if hook not in hooks:
        hooks.append(hook)
