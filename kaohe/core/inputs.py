"""The versions of the years' inputs: bumped by every action that changes what a year's live
computation reads (entries, ballots of closed rounds, measures, the scheme, the assessed
departments, last year's ranks, the party group's decisions), in that action's transaction.
kaohe.results.stored keeps each year's computation keyed by them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from kaohe.core.models import InputsVersion

EVERY_YEAR = 0  # the key of what every year reads


def _bump(keys: Iterable[int]) -> None:
    """Add one to these versions (their rows created at 0 first)."""
    wanted = sorted(set(keys))
    rows = InputsVersion.objects.filter(key__in=wanted)
    if rows.update(version=F("version") + 1) == len(wanted):
        return
    InputsVersion.objects.bulk_create([InputsVersion(key=k) for k in wanted], ignore_conflicts=True)
    rows.update(version=F("version") + 1)  # the rows already there go up twice: still newer


def touch(year: int, *, next_year: bool = False) -> None:
    """Year `year`'s inputs changed; with `next_year`, also those of the year after it (whose
    last year's ranks are this year's published ones)."""
    _bump((year, year + 1) if next_year else (year,))


def touch_all() -> None:
    """What every year reads changed (a department's name or parent)."""
    _bump((EVERY_YEAR,))
