"""Ranking with its tie-breaks, and the honors of rules.md §5."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from kaohe.engine.scheme import HonorSizes


@dataclass
class Standing:
    """A department's place in the year, filled in step by step."""

    code: str
    key: tuple[Fraction, Fraction, Fraction]  # total, content, evaluation: higher is better
    vetoed: bool
    previous_rank: int | None
    rank: int = 0
    honors: set[str] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)


def _groups(
    items: Sequence[Standing], key: Callable[[Standing], Hashable]
) -> list[tuple[int, list[Standing]]]:
    """Consecutive runs of equal key in an ordered list, each with its competition place (1, 2, 2, 4)."""
    out: list[tuple[int, list[Standing]]] = []
    for position, s in enumerate(items, start=1):
        if out and key(out[-1][1][0]) == key(s):
            out[-1][1].append(s)
        else:
            out.append((position, [s]))
    return out


def rank_and_honor(standings: list[Standing], sizes: HonorSizes) -> list[Standing]:
    """Rank departments (ties share a rank) and give honors; returns them in rank, code order."""
    ordered = sorted(standings, key=lambda s: (-s.key[0], -s.key[1], -s.key[2], s.code))
    for place, group in _groups(ordered, lambda s: s.key):
        for s in group:
            s.rank = place
            if len(group) > 1:
                s.flags.add("tie")
    eligible = [s for s in ordered if not s.vetoed]
    _tiers(eligible, sizes)
    _progress(eligible, sizes.progress)
    _bottom(ordered, sizes.bottom)
    return ordered


def _award(group: list[Standing], place: int, size: int, honor: str) -> bool:
    """Give `honor` to a group at `place` if it falls within the first `size`; flag a straddle."""
    if size <= 0 or place > size:
        return False
    straddles = place + len(group) - 1 > size
    for s in group:
        s.honors.add(honor)
        if straddles:
            s.flags.add("boundary_tie")
    return True


def _tiers(eligible: list[Standing], sizes: HonorSizes) -> None:
    """先进处室, the recommended proposal, and 表扬 by eligible place; a group gets its place's tier."""
    for place, group in _groups(eligible, lambda s: s.key):
        _award(group, place, sizes.recommended, "recommended")
        if not _award(group, place, sizes.advanced, "advanced"):
            _award(group, place, sizes.advanced + sizes.praised, "praised")


def _progress(eligible: list[Standing], size: int) -> None:
    """争先进位: the largest rises in rank among eligible departments not already honored."""
    risers = [
        s
        for s in eligible
        if not s.honors & {"advanced", "praised"}
        and s.previous_rank is not None
        and s.previous_rank - s.rank > 0
    ]
    risers.sort(key=lambda s: (-(s.previous_rank or 0) + s.rank, s.rank, s.code))
    for place, group in _groups(risers, lambda s: ((s.previous_rank or 0) - s.rank, s.rank)):
        _award(group, place, size, "progress")


def _bottom(ordered: list[Standing], size: int) -> None:
    """末两名: counted from the end over all departments, vetoed or not."""
    backwards = list(reversed(ordered))
    for place, group in _groups(backwards, lambda s: s.key):
        _award(group, place, size, "bottom")
