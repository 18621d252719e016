"""The queries of every list and results page, pinned in query_counts.json (netbox's style).

Each page is opened on two years of the same data at two sizes; its count must be the one the
file gives, at both sizes: a page whose queries grow with the departments fails here. A page the
file lists that no longer exists fails too. A change of a count must be deliberate: edit the file.

The file maps a label to the URL name, the persona opening it and its arguments:
`live` is the unpublished year 2016, `done` the published year 2015 (`version` its number 1),
`code` the first department, `round` a closed round of 2016. What the counts hold, for the
overview for example: session, user (with the bell's unread count), roles, the years (the
page's with its scheme: the page and the menu read them once), whether the year is published,
last year's published version; the year's stored result at its current inputs
version (results.stored; each page is opened once before it is counted, so the result is
computed and stored then, as after any change); then the page's own counts. A published version
holds its bundle, so its pages have none of those.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.ledger.models import Entry, Evidence, Objection
from kaohe.org.models import Department, Person
from kaohe.years.models import Year, YearDepartment
from tests.web.conftest import module_data
from tests.web.factories import RoleFactory, add_adjustment, add_veto, make_departments, make_year
from tests.web.results_support import publish
from tests.web.urls_support import url_names

FILE = Path(__file__).with_name("query_counts.json")
PAGES: dict[str, dict[str, Any]] = json.loads(FILE.read_text("utf-8"))
SIZES = (4, 40)  # departments
PERSONAS = ("office", "clerk", "head", "leader", "party")
ARGS = ("live", "done", "version", "code", "round")


def fill_year(year: Year, departments: list[Department], *, pending: bool) -> None:
    """Each department with entries (one with a person and evidence), ballots in every round, an
    adjustment and a veto on the first two; with `pending`, an objection and a submitted entry each."""
    rule_a, rule_b = year.scheme.rules["1.report_missed"], year.scheme.rules["18.collective_city"]
    statuses = ("confirmed", "confirmed", "submitted" if pending else "confirmed")
    entries = Entry.objects.bulk_create(
        Entry(
            year=year,
            ref=f"{year.year}-{d.code}-{n}",
            department=d,
            rule_id=rule.id,
            item=rule.item,
            category=rule.category,
            office=rule.offices[0],
            period="year",
            count=1 + i % 3,
            status=status,
        )
        for i, d in enumerate(departments)
        for n, (rule, status) in enumerate(zip((rule_a, rule_b, rule_a), statuses, strict=True))
    )
    persons = Person.objects.filter(department__in=departments).order_by("department__code")
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
    if pending:
        Objection.objects.bulk_create(Objection(entry=e, reason="有异议") for e in entries[::3])
    grades = ["excellent", "good", "fair"]
    for kind, periods in (
        ("democratic", ("H1", "year")),
        ("style", ("year",)),
        ("leader", ("year",)),
    ):
        for period in periods:
            r = Round.objects.create(year=year, kind=kind, period=period, status=RoundStatus.CLOSED)
            rated = [d for d in departments if kind != "style" or d.type == "service"]
            Ballot.objects.bulk_create(
                Ballot(round=r, grades={d.code: grades[(i + v) % 3] for i, d in enumerate(rated)})
                for v in range(3)
            )
    add_adjustment(year, departments[0], "1", "党组表扬")
    add_veto(year, departments[1])


@dataclass(frozen=True)
class Data:
    """The two years, and a persona for each role that opens a page."""

    size: int
    users: dict[str, Any]
    args: dict[str, Any]


def build(size: int) -> Data:
    """2015 complete and published; 2016 under way, its last year's ranks from 2015."""
    departments = make_departments(size)
    Person.objects.bulk_create(Person(department=d, name=f"{d.code}甲") for d in departments)
    party = RoleFactory(kind="party_group").user
    done = make_year(2015, departments)
    fill_year(done, departments, pending=False)
    publish(done, by=party)
    live = make_year(2016, departments)
    fill_year(live, departments, pending=True)
    YearDepartment.objects.filter(year=live).update(previous_rank=3)
    first = departments[0]
    return Data(
        size=size,
        users={
            "office": RoleFactory(kind="assessment_office").user,
            "clerk": RoleFactory(kind="office_clerk", office="ZH").user,
            "head": RoleFactory(kind="department_head", department=first).user,
            "leader": RoleFactory(kind="leader").user,
            "party": party,
        },
        args={
            "live": 2016,
            "done": 2015,
            "version": 1,
            "code": first.code,
            "round": Round.objects.filter(year=live).order_by("pk").first().pk,  # type: ignore[union-attr]
        },
    )


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}-departments" for n in SIZES])
def data(
    request: pytest.FixtureRequest,
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: Any,
) -> Iterator[Data]:
    """The data at one size, once for the module, rolled back afterwards."""
    with module_data(django_db_blocker, MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield build(request.param)


def url_of(label: str, data: Data) -> str:
    page = PAGES[label]
    try:
        return reverse(page["url"], args=[data.args[a] for a in page.get("args", [])])
    except NoReverseMatch:
        pytest.fail(f"query_counts.json: {label!r} names {page['url']!r}, which no longer exists")


def test_the_file_lists_pages_that_exist_with_known_personas_and_arguments() -> None:
    names = url_names()
    for label, page in PAGES.items():
        assert page["url"] in names, f"{FILE.name}: {label!r} names {page['url']!r}, which is gone"
        assert page["as"] in PERSONAS, f"{FILE.name}: {label!r}: no persona {page['as']!r}"
        assert set(page.get("args", [])) <= set(ARGS), f"{FILE.name}: {label!r}: unknown argument"
        assert isinstance(page["queries"], int) and page["queries"] > 0, label


@pytest.mark.django_db
@pytest.mark.parametrize("label", PAGES)
def test_the_page_runs_its_pinned_queries_at_every_size(data: Data, label: str) -> None:
    page = PAGES[label]
    client = Client()
    client.force_login(data.users[page["as"]])
    url = url_of(label, data)
    client.get(url)  # the year's result computed and stored: what every later request reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{label}: {url} answered {response.status_code}"
    listing = "\n".join(f"  {q['sql'][:160]}" for q in queries.captured_queries)
    assert len(queries) == page["queries"], (
        f"{label} ({url}) with {data.size} departments ran {len(queries)} queries; "
        f"{FILE.name} says {page['queries']}:\n{listing}"
    )
