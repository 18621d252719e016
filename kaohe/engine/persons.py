"""The points of an entry that name persons, shared by their times (seed §六.3: 处室得分中,能量化到
个人的部分): each person's share is the entry's amount × their times / all the entry's times."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K")


def person_shares(amount: Fraction, times: Mapping[K, int]) -> dict[K, Fraction]:
    """Each person's exact share of `amount` by their times; the shares add up to `amount`."""
    total = sum(times.values())
    if total <= 0 or any(t < 0 for t in times.values()):
        raise ValueError("times must be non-negative and not all zero")
    return {person: amount * t / total for person, t in times.items()}
