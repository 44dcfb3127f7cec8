"""Extension points for other apps (quarantine knows nothing of them; they register here, in
their AppConfig.ready()).

`placement_started_hooks`: called with the ids of placements that just began (admission, or the
new placement a transfer creates), inside the transaction that saved them.
"""

from __future__ import annotations

from collections.abc import Callable

placement_started_hooks: list[Callable[[list[int]], None]] = []


def run_placement_started(placement_ids: list[int]) -> None:
    if not placement_ids:
        return
    for hook in list(placement_started_hooks):
        hook(list(placement_ids))
