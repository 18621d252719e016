"""Home page: the product page for visitors, a workbench by role for those logged in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.access import ledger as ledger_access
from kaohe.access import roles as role_access
from kaohe.access import years as year_access
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger import selectors as ledger_selectors
from kaohe.ledger.models import Entry, EntryStatus, Objection, ObjectionStatus
from kaohe.results.selectors import latest_publication, published_lines
from kaohe.years.models import Year


@dataclass(frozen=True)
class YearPending:
    """The assessment office's pending work of one year."""

    year: int
    awaiting_review: int
    awaiting_decision: int
    open_objections: int


def home(request: HttpRequest) -> HttpResponse:
    """The product's front page, or the logged-in user's workbench."""
    if not request.user.is_authenticated:
        return render(request, "core/home.html")
    return render(request, "core/workbench.html", _workbench(request.user))


def _workbench(user: Any) -> dict[str, Any]:
    """What each of the user's roles has to do in the latest year."""
    year = Year.objects.order_by("-year").first() if role_access.is_staff_user(user) else None
    context: dict[str, Any] = {
        "year": year,
        "clerk_offices": sorted(role_access.clerk_offices(user)),
    }
    if year is None:
        return context
    # Once published, the version is what every workbench names and shows.
    context["publication"] = publication = latest_publication(year)
    if ledger_access.may_review(user):
        context["years"] = years = list(Year.objects.all())
        context["pending"] = pending = _office_pending(years)
        context["awaiting_review"] = sum(p.awaiting_review for p in pending)
        context["awaiting_decision"] = sum(p.awaiting_decision for p in pending)
        context["open_objections"] = sum(p.open_objections for p in pending)
    if context["clerk_offices"]:
        context["my_entries"] = _clerk_entries(context["clerk_offices"])
        # The office is told of its entries the assessment office voided (issue 10, point 4).
        voided = ledger_selectors.office_voided(year, context["clerk_offices"])
        context["my_voided"] = _named(voided)
    mine = role_access.member_department_ids(user)
    if mine:
        # The user's own departments (a head who also reads everything sees only these here).
        context["my_departments"] = list(
            year_access.pages_of_departments(user, year).filter(department_id__in=mine)
        )
        if publication is not None:
            codes = [a.department.code for a in context["my_departments"]]
            context["my_published"] = published_lines(publication, codes)
    return context


def _office_pending(years: list[Year]) -> list[YearPending]:
    """Pending work of every year with any (a 2016 entry still waits once 2017 exists), latest
    first; in a fixed number of queries however many years there are."""
    submitted = (
        Entry.objects.filter(status=EntryStatus.SUBMITTED)
        .values("year_id", "rule_id")
        .annotate(n=Count("id"), undecided=Count("id", filter=Q(amount__isnull=True)))
    )
    review: Counter[int] = Counter()
    decide: Counter[int] = Counter()
    ranges = {y.pk: _range_rule_ids(y) for y in years}
    for row in submitted:
        review[row["year_id"]] += row["n"]
        if row["rule_id"] in ranges.get(row["year_id"], ()):
            decide[row["year_id"]] += row["undecided"]
    objections = Counter(
        dict(
            Objection.objects.filter(status=ObjectionStatus.OPEN)
            .values_list("entry__year_id")
            .annotate(n=Count("id"))
        )
    )
    found = [
        YearPending(y.year, review[y.pk], decide[y.pk], objections[y.pk])
        for y in years
        if review[y.pk] or objections[y.pk]
    ]
    return found


def _range_rule_ids(year: Year) -> set[str]:
    return {r.id for r in year.scheme.rules.values() if r.kind == RuleKind.RANGE}


def _clerk_entries(offices: list[str]) -> list[tuple[Entry, str]]:
    """The offices' drafts and returned entries of every year, with their rules' names."""
    entries = (
        Entry.objects.filter(
            office__in=offices, status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED]
        )
        .select_related("department", "year")
        .order_by("-updated_at", "-id")[:50]
    )
    return _named(entries)


def _named(entries: Iterable[Entry]) -> list[tuple[Entry, str]]:
    """Entries with their rules' names (each year's scheme parsed once)."""
    years: dict[int, Year] = {}
    named = []
    for e in entries:
        rules = years.setdefault(e.year_id, e.year).scheme.rules
        named.append((e, rules[e.rule_id].name if e.rule_id in rules else e.rule_id))
    return named
