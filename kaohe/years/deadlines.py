"""The year's deadlines per step: the defaults of rules.md §8 and the office's changes, read once
per page (the one place deadlines are said)."""

from __future__ import annotations

import datetime

from kaohe.years.models import Deadline, Step, Year


def default_deadline(year: int, step: str) -> datetime.date:
    """A step's deadline when the office set none: targets by 31 January, the half-year reports
    by 15 July, the year-end reports and the self-assessment form by 10 January of the next year."""
    if step in (Step.TARGETS, Step.TARGETS_APPROVAL):
        return datetime.date(year, 1, 31)
    if step == Step.H1_REPORTS:
        return datetime.date(year, 7, 15)
    return datetime.date(year + 1, 1, 10)


def year_deadlines(year: Year) -> dict[str, datetime.date]:
    """Every step's deadline in the year, in the order of Step (one query)."""
    stored = dict(Deadline.objects.filter(year=year).values_list("step", "due"))
    return {step: stored.get(step) or default_deadline(year.year, step) for step in Step.values}


def step_deadline(year: Year, step: str) -> datetime.date:
    """One step's deadline in the year."""
    row = Deadline.objects.filter(year=year, step=step).values_list("due", flat=True).first()
    return row or default_deadline(year.year, step)
