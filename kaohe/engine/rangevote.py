"""The assessment office's secret ballot on a range amount (seed §八.2): the rule that decides it.

Pure functions over exact numbers: which amounts a member may cast (the rule's [min, max] on the
step the director set), whether enough members voted (more than half), and the decided amount
(the median of the amounts cast, abstentions not counted, the lower middle one for an even number).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

STEPS = (Decimal("0.5"), Decimal("0.1"))  # the steps the director may set


def amount_choices(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    """Every amount a member may cast: low, low + step, … up to high (both on the step)."""
    out: list[Decimal] = []
    value = _first_on_step(low, step)
    while value <= high:
        out.append(value.normalize() if value != value.to_integral() else value.quantize(1))
        value += step
    return out


def _first_on_step(low: Decimal, step: Decimal) -> Decimal:
    """The least multiple of the step at or above low."""
    ratio = Fraction(low) / Fraction(step)
    k = -((-ratio.numerator) // ratio.denominator)  # the ceiling, exactly
    return step * k


def on_step(amount: Decimal, low: Decimal, high: Decimal, step: Decimal) -> bool:
    """Whether an amount lies within [low, high] and is a whole number of steps."""
    return low <= amount <= high and (Fraction(amount) / Fraction(step)).denominator == 1


def has_quorum(voted: int, members: int) -> bool:
    """Valid only when more than half of the members voted."""
    return 2 * voted > members


def median_lower(amounts: Sequence[Decimal]) -> Decimal | None:
    """The median of the amounts cast; the lower of the two middle ones for an even number;
    None when none was cast (every voter abstained)."""
    if not amounts:
        return None
    ordered = sorted(amounts)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class ItemTally:
    """One entry's count: the amounts cast (abstentions apart), their distribution, the decision."""

    cast: int
    abstained: int
    distribution: tuple[tuple[Decimal, int], ...]
    decided: Decimal | None


def item_tally(choices: Sequence[Decimal | None]) -> ItemTally:
    """Count one entry's votes; None is an abstention."""
    amounts = [c for c in choices if c is not None]
    counts = Counter(amounts)
    return ItemTally(
        cast=len(amounts),
        abstained=len(choices) - len(amounts),
        distribution=tuple(sorted(counts.items())),
        decided=median_lower(amounts),
    )
