"""Extension points for other apps (zones knows nothing of them; they register here, in their
AppConfig.ready()).

`area_recorded_hooks`: called with the ids of lockdown areas just recorded, inside the
transaction that saved them. `zone_designated_hooks`: the same for zone designations. The
response clock, for one, marks the "zone" stage of the triggering case done.
"""

from __future__ import annotations

from collections.abc import Callable

area_recorded_hooks: list[Callable[[list[int]], None]] = []
zone_designated_hooks: list[Callable[[list[int]], None]] = []


def run_area_recorded(area_ids: list[int]) -> None:
    for hook in list(area_recorded_hooks) if area_ids else []:
        hook(list(area_ids))


def run_zone_designated(designation_ids: list[int]) -> None:
    for hook in list(zone_designated_hooks) if designation_ids else []:
        hook(list(designation_ids))
