"""Slip numbers as the office types them ('7', '7, 9', '12-15') and as the pages show them."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The most codes a group gets, so also the longest range of slip numbers worth typing.
MAX_CODES_PER_GROUP = 2000
# The longest text the revoke form takes.
MAX_REVOKE_TEXT = 200


def _unreadable() -> ValidationError:
    return ValidationError(_("Give slip numbers such as 7, 9 or 12-15."), code="syntax")


def parse_numbers(text: str) -> list[int]:
    """Slip numbers typed as '7', '7, 9' or '12-15'."""
    if len(text) > MAX_REVOKE_TEXT:
        raise _unreadable()
    numbers: list[int] = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        low, _sep, high = (p.strip() for p in part.partition("-"))
        # isdecimal, not isdigit: int() reads every decimal digit, but not "²"; nine digits at most.
        if not _number(low) or (high and not _number(high)):
            raise _unreadable()
        first, last = int(low), int(high or low)
        if last < first or last - first >= MAX_CODES_PER_GROUP:
            raise _unreadable()
        numbers.extend(range(first, last + 1))
    if not numbers:
        raise _unreadable()
    return numbers


def _number(text: str) -> bool:
    return text.isdecimal() and len(text) <= 9


def number_ranges(numbers: Sequence[int]) -> str:
    """Sorted slip numbers written short: 2, 4-5, 9."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
