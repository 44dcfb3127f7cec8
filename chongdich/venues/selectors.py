"""Reads of venues, check-ins and exposure proposals, scoped to the actor."""

from __future__ import annotations


def open_proposal_counts(case_ids: list[int]) -> dict[int, int]:
    """How many exposure proposals still wait for a tracer's decision, per F0 case id (cases
    with none are left out). The response clock's "trace" stage is not done while any wait."""
    return {}
