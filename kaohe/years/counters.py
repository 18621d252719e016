"""Numbers of a year's series (2016-00001 …), unique and gap-free under concurrency."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.years.models import Counter, Year

# The series of entry numbers; other series are named by their prefix (adj, veto).
ENTRY = "entry"


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


def reference(year: int, number: int, series: str = ENTRY) -> str:
    """A record's number as shown and stored: 2016-00001 for entries, 2016-adj-1 in a series."""
    if series == ENTRY:
        return f"{year}-{number:05d}"
    return f"{year}-{series}-{number}"


# The series other than entries, by their prefix, and their names on pages.
SERIES_NAMES = {"adj": gettext_lazy("Adjustment"), "veto": gettext_lazy("Veto")}
# The product's own numbers, however wide: 2016-031, 2016-00031 (entries), 2016-adj-1 (a series).
OWN = re.compile(r"(?P<year>[0-9]{4})-(?:(?P<series>[a-z]+)-)?(?P<number>[0-9]{1,9})")


def reference_normal(year: int, ref: str) -> str:
    """An id in the product's own pattern for `year`, written the one way (2016-031 becomes
    2016-00031); any other id (another system's own) is kept as it is."""
    found = OWN.fullmatch(ref)
    if found is None or int(found["year"]) != year:
        return ref
    return reference(year, int(found["number"]), found["series"] or ENTRY)


def reference_shown(ref: str) -> str:
    """A record's number as pages and documents show it: one numbering for every series, a
    series named in Chinese (2016-00031; 2016-adj-1 as 党组加减分 2016-00001); another system's id as
    it is."""
    found = OWN.fullmatch(ref)
    if found is None or found["series"] not in (None, *SERIES_NAMES):
        return ref
    number = reference(int(found["year"]), int(found["number"]))
    if found["series"] is None:
        return number
    return _("%(series)s %(number)s") % {"series": SERIES_NAMES[found["series"]], "number": number}


def reference_next(*, model: type[models.Model], year: Year, series: str = ENTRY) -> str:
    """The next reference of the year's series for `model` (a model with `year` and `ref`)."""
    rows: Any = model._default_manager.filter(year=year)
    number = counter_next(
        year=year,
        series=series,
        start=rows.count,
        taken=lambda n: rows.filter(ref=reference(year.year, n, series)).exists(),
    )
    return reference(year.year, number, series)
