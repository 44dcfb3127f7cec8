"""Extension points for other apps (venues knows nothing of them; they register here, in their
AppConfig.ready()).

`proposals_resolved_hooks`: called with the ids of the F0 cases whose exposure proposals were just
confirmed or dismissed (in bulk or one by one), inside the transaction that changed them. The
response clock, for one, re-checks the "trace" stage of those cases.
"""

from __future__ import annotations

from collections.abc import Callable

proposals_resolved_hooks: list[Callable[[list[int]], None]] = []


def run_proposals_resolved(case_ids: list[int]) -> None:
    for hook in list(proposals_resolved_hooks) if case_ids else []:
        hook(list(case_ids))
