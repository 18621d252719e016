"""Numbers of a year's series (2016-00001 …), unique and gap-free under concurrency."""

from __future__ import annotations

from collections.abc import Callable

from kaohe.years.models import Counter, Year


def counter_next(
    *, year: Year, series: str, start: Callable[[], int], taken: Callable[[int], bool]
) -> int:
    """The next number of the year's series; the series stays locked until the transaction ends.

    `start` gives the number to continue from when the series is first used (the rows numbered
    before counters existed); numbers already `taken` (imported rows) are skipped.
    """
    locked = Counter.objects.select_for_update()
    counter = locked.filter(year=year, series=series).first()
    if counter is None:  # first use; a concurrent first use makes get_or_create wait and get
        counter, _created = locked.get_or_create(
            year=year, series=series, defaults={"last": start()}
        )
    number = counter.last + 1
    while taken(number):
        number += 1
    counter.last = number
    counter.save(update_fields=["last"])
    return number
