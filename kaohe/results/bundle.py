"""Reads of a year: the engine's Bundle built from the database, and the results computed from it."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch

from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.engine import Bundle, Results, builtin_scheme, compute
from kaohe.engine import bundle as engine
from kaohe.ledger.models import Entry, EntryPerson, EntryStatus
from kaohe.results.models import Adjustment, Veto
from kaohe.years.models import Year


def scheme_is_builtin(year: Year) -> bool:
    """Whether the year's frozen scheme is exactly a built-in one (then bundles name it by id)."""
    try:
        return dict(builtin_scheme(year.scheme_id).document) == year.scheme_document
    except KeyError:
        return False


def counted_entries(year: Year) -> list[Entry]:
    """Entries that count in results: confirmed ones (a confirmed range entry has its amount)."""
    persons = Prefetch("person_links", queryset=EntryPerson.objects.select_related("person"))
    return list(
        Entry.objects.filter(year=year, status=EntryStatus.CONFIRMED)
        .select_related("department")
        .prefetch_related(persons)
        .order_by("id")
    )


def _entries(year: Year) -> tuple[engine.Entry, ...]:
    """The year's counted entries as the engine takes them."""
    return tuple(e.to_engine() for e in counted_entries(year))


def _ballots(year: Year) -> tuple[engine.Ballot, ...]:
    """The ballots of the year's closed rounds, in a fixed order."""
    closed = Round.objects.filter(year=year, status=RoundStatus.CLOSED)
    return tuple(
        b.to_engine()
        for b in Ballot.objects.filter(round__in=closed)
        .select_related("round")
        .order_by("round__kind", "round__period", "id")
    )


def year_bundle(year: Year) -> Bundle:
    """The year as the engine sees it: confirmed entries, closed rounds, adjustments, vetoes."""
    assessed = list(year.assessed.select_related("department").order_by("department__code"))
    departments = tuple(a.to_engine() for a in assessed)
    adjustments = tuple(
        a.to_engine() for a in Adjustment.objects.filter(year=year).select_related("department")
    )
    vetoes = tuple(
        v.to_engine() for v in Veto.objects.filter(year=year).select_related("department")
    )
    return Bundle(
        year=year.year,
        scheme=year.scheme,
        departments=departments,
        entries=_entries(year),
        ballots=_ballots(year),
        adjustments=adjustments,
        vetoes=vetoes,
        previous_ranks={a.department.code: a.previous_rank for a in assessed if a.previous_rank},
        scheme_inline=not scheme_is_builtin(year),
    )


def year_results(year: Year) -> Results:
    """The year's results computed live by the engine, with trails."""
    return compute(year_bundle(year))


def ballot_uuid(ref: str | None) -> uuid.UUID:
    """A ballot's id from a bundle: kept if it is a UUID, else derived from it, else random."""
    if not ref:
        return uuid.uuid4()
    try:
        return uuid.UUID(ref)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"kaohe-ballot:{ref}")
