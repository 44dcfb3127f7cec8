"""Extension points for other apps (testing knows nothing of them; they register here).

`sample_taken_hooks`: called with the ids of newly saved samples, inside the transaction that saved
them, by every service that creates samples (one sample, a batch, a pooled set). Quarantine, for
one, registers a hook in its AppConfig.ready() that marks the scheduled tests of those people done.
A hook that raises rolls the whole write back.
"""

from __future__ import annotations

from collections.abc import Callable

sample_taken_hooks: list[Callable[[list[int]], None]] = []


def run_sample_taken(sample_ids: list[int]) -> None:
    if not sample_ids:
        return
    for hook in list(sample_taken_hooks):
        hook(list(sample_ids))
