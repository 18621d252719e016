"""Query counts of the overview and the department page stay the same as departments grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.ledger.models import Entry, Evidence, Objection
from kaohe.org.models import Person
from kaohe.years.models import Year, YearDepartment
from tests.web.factories import RoleFactory, add_adjustment, add_veto, make_departments, make_year
from tests.web.results_support import publish

pytestmark = pytest.mark.django_db

# Pinned: session, user, roles, the year, the menu's latest year; whether the year is published;
# the bundle (assessed departments, confirmed entries and their persons, closed rounds' ballots,
# adjustments, vetoes, last year's published version for 争先进位, the party group's standing
# decisions); then the overview's two counts (entries awaiting review, open objections), or the
# department page's own department, entries with evidence and persons, and objections.
# Published: the version holds the bundle, so none of the bundle's queries. A change here must
# be deliberate.
OVERVIEW_QUERIES = 16
DEPARTMENT_QUERIES = 19
PUBLISHED_OVERVIEW_QUERIES = 8
PUBLISHED_DEPARTMENT_QUERIES = 11


def build_year(n: int) -> Year:
    """A year of n departments, each with entries (one with a person and evidence), ballots in
    every round, an adjustment and a veto on the first, an objection and a pending entry."""
    departments = make_departments(n)
    year = make_year(2016, departments)
    scheme = year.scheme
    persons = Person.objects.bulk_create(
        Person(department=d, name=f"{d.code}甲") for d in departments
    )
    rule_a, rule_b = scheme.rules["1.report_missed"], scheme.rules["18.collective_city"]
    entries = []
    for i, d in enumerate(departments):
        for rule, status in ((rule_a, "confirmed"), (rule_b, "confirmed"), (rule_a, "submitted")):
            entries.append(
                Entry(
                    year=year,
                    ref=f"{d.code}-{rule.id}-{status}",
                    department=d,
                    rule_id=rule.id,
                    item=rule.item,
                    category=rule.category,
                    office=rule.offices[0],
                    period="year",
                    count=1 + i % 3,
                    status=status,
                )
            )
    entries = Entry.objects.bulk_create(entries)
    for entry, person in zip(entries[::3], persons, strict=True):
        entry.persons.add(person)
    Evidence.objects.bulk_create(
        Evidence(
            entry=e,
            file="evidence/x",
            original_name="a.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
        for e in entries[::3]
    )
    Objection.objects.create(entry=entries[0], reason="有异议")
    grades = ["excellent", "good", "fair"]
    for kind, rounds in (
        ("democratic", ("H1", "year")),
        ("style", ("year",)),
        ("leader", ("year",)),
    ):
        for period in rounds:
            r = Round.objects.create(year=year, kind=kind, period=period, status=RoundStatus.CLOSED)
            rated = [d for d in departments if kind != "style" or d.type == "service"]
            Ballot.objects.bulk_create(
                Ballot(round=r, grades={d.code: grades[(i + v) % 3] for i, d in enumerate(rated)})
                for v in range(3)
            )
    YearDepartment.objects.filter(year=year).update(previous_rank=3)
    add_adjustment(year, departments[0], "1", "党组表扬")
    add_veto(year, departments[1])
    return year


@pytest.mark.parametrize("n", [20, 200])
def test_overview_queries_do_not_grow_with_departments(
    n: int, django_assert_num_queries: Any
) -> None:
    build_year(n)
    client = Client()
    client.force_login(RoleFactory(kind="assessment_office").user)
    url = reverse("years:overview", args=[2016])
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr data-code=") == n


@pytest.mark.parametrize("n", [20, 200])
def test_department_page_queries_do_not_grow_with_departments(
    n: int, django_assert_num_queries: Any
) -> None:
    year = build_year(n)
    first = year.assessed.select_related("department").first()
    assert first is not None
    client = Client()
    client.force_login(RoleFactory(kind="department_head", department=first.department).user)
    url = reverse("years:department", args=[2016, first.department.code])
    with django_assert_num_queries(DEPARTMENT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "a.pdf" in body and "有异议" in body


@pytest.mark.parametrize("n", [20, 200])
def test_published_overview_and_department_page_queries_do_not_grow(
    n: int, django_assert_num_queries: Any
) -> None:
    # given the year published: a leader and a department head read the published version
    year = build_year(n)
    Entry.objects.filter(year=year, status="submitted").update(status="confirmed")
    Objection.objects.all().delete()
    publish(year)
    first = year.assessed.select_related("department").first()
    assert first is not None
    leader, head = Client(), Client()
    leader.force_login(RoleFactory(kind="leader").user)
    head.force_login(RoleFactory(kind="department_head", department=first.department).user)
    with django_assert_num_queries(PUBLISHED_OVERVIEW_QUERIES):
        response = leader.get(reverse("years:overview", args=[2016]))
    assert response.content.decode().count("<tr data-code=") == n
    with django_assert_num_queries(PUBLISHED_DEPARTMENT_QUERIES):
        response = head.get(reverse("years:department", args=[2016, first.department.code]))
    assert "第1版" in response.content.decode()
