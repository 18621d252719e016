"""What every page reads stays small however long the history (issue 15): the year switcher
reads which years exist, their schemes decoded once per process; the tables rendered once per
computation show each new one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaohe.access.years import visible_years
from kaohe.results.actions import measures
from tests.web.conftest import World
from tests.web.factories import make_year

pytestmark = pytest.mark.django_db


def test_the_switcher_reads_no_scheme_once_it_has_the_years(world: World) -> None:
    # given three years (the world's 2016 and two more), read once by this process
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_year(2014, [world.js])
    make_year(2015, [world.js])
    visible_years(world.office)
    # then a page reads which years exist, and no scheme (each is decoded once per process)
    with CaptureQueriesContext(connection) as queries:
        years = visible_years(world.office, scheme_of=2015)
    assert [y.year for y in years] == [2016, 2015, 2014]
    assert len(queries) == 1 and "scheme_document" not in queries[0]["sql"]
    # and each year's scheme is its own
    (page_year,) = [y for y in years if y.year == 2015]
    assert page_year.scheme.id == "cz-jxw-2016" and page_year.scheme_document


def test_a_page_of_a_year_shows_its_year_in_the_switcher(world: World) -> None:
    make_year(2015, [world.js])
    response = world.client(world.office).get("/years/2015/overview/")
    assert response.status_code == 200
    assert response.context["nav_year"].year == 2015
    assert [link.year for link in response.context["nav_years"]] == [2016, 2015]


def test_the_tables_kept_rendered_show_each_new_computation(world: World) -> None:
    # given the overview and the proposal opened (their tables rendered and kept)
    client = world.client(world.office)
    pages = ("/years/2016/overview/", "/results/2016/proposal/")
    before = [client.get(url).content.decode() for url in pages]
    assert all(">7.00<" not in page for page in before)
    # when the party group's adjustment changes a figure
    measures.adjustment_record(
        by=world.office,
        year=world.year,
        department=world.js,
        amount=Decimal("7"),
        reason="党组研究加分",
        meeting="党组会",
    )
    # then both tables show it at once
    overview, proposal = (client.get(url).content.decode() for url in pages)
    assert 'data-col="adjustment">7.00<' in overview
    assert 'class="num pos">7.00</td>' in proposal
