"""Ranking with its tie-breaks (rules.md §5.1); the honors are kaohe.engine.honors."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from operator import attrgetter


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


def groups(
    items: Sequence[Standing], key: Callable[[Standing], Hashable], *, start: int = 0
) -> list[tuple[int, list[Standing]]]:
    """Consecutive runs of equal key in an ordered list, each with its competition place
    (1, 2, 2, 4), counted from `start` + 1."""
    out: list[tuple[int, list[Standing]]] = []
    for position, s in enumerate(items, start=start + 1):
        if out and key(out[-1][1][0]) == key(s):
            out[-1][1].append(s)
        else:
            out.append((position, [s]))
    return out


def rank(standings: list[Standing]) -> list[Standing]:
    """Rank departments (ties share a rank, flagged `tie`); returns them in rank, code order."""
    # By key, highest first, then code: two stable sorts, comparing the keys as they are (negated
    # keys would cost a Fraction each).
    ordered = sorted(standings, key=attrgetter("code"))
    ordered.sort(key=attrgetter("key"), reverse=True)
    for place, group in groups(ordered, lambda s: s.key):
        for s in group:
            s.rank = place
            if len(group) > 1:
                s.flags.add("tie")
    return ordered
