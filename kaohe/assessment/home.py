"""Home page: the product page for visitors, a workbench by role for those logged in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
        submitted = Entry.objects.filter(year=year, status=EntryStatus.SUBMITTED)
        context["awaiting_review"] = submitted.count()
        context["awaiting_decision"] = submitted.filter(
            rule_id__in=[r.id for r in year.scheme.rules.values() if r.kind == RuleKind.RANGE],
            amount__isnull=True,
        ).count()
        context["open_objections"] = Objection.objects.filter(
            entry__year=year, status=ObjectionStatus.OPEN
        ).count()
        context["years"] = Year.objects.all()
    if context["clerk_offices"]:
        context["my_entries"] = _clerk_entries(year, context["clerk_offices"])
        # The office is told of its entries the assessment office voided (issue 10, point 4).
        voided = ledger_selectors.office_voided(year, context["clerk_offices"])
        context["my_voided"] = _named(year, voided)
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


def _clerk_entries(year: Year, offices: list[str]) -> list[tuple[Entry, str]]:
    """The offices' drafts and returned entries of the year, with their rules' names."""
    entries = (
        Entry.objects.filter(
            year=year, office__in=offices, status__in=[EntryStatus.DRAFT, EntryStatus.RETURNED]
        )
        .select_related("department")
        .order_by("-updated_at", "-id")[:50]
    )
    return _named(year, entries)


def _named(year: Year, entries: Iterable[Entry]) -> list[tuple[Entry, str]]:
    """Entries with their rules' names."""
    rules = year.scheme.rules
    return [(e, rules[e.rule_id].name if e.rule_id in rules else e.rule_id) for e in entries]
