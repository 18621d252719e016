"""The years every page reads (kaohe.access.years.visible_years): which rows exist comes from the
database on every call; the rows themselves, with their schemes, from the process's memo."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaohe.access.years import visible_years
from tests.web.factories import RoleFactory, make_year

pytestmark = pytest.mark.django_db


def test_a_new_year_shows_at_once_and_each_caller_gets_its_own_row() -> None:
    office = RoleFactory(kind="assessment_office").user
    make_year(2016)
    first = visible_years(office)
    assert [y.year for y in first] == [2016]
    # a year created since (in another process, say) is on the next read
    make_year(2017)
    with CaptureQueriesContext(connection) as queries:
        again = visible_years(office)
    assert [y.year for y in again] == [2017, 2016]
    assert len(queries) == 2  # which rows exist; the new row, once
    with CaptureQueriesContext(connection) as queries:
        third = visible_years(office)
    assert len(queries) == 1  # which rows exist only
    # each read its own objects, with the year's own scheme
    third[1].marked = True  # type: ignore[attr-defined]
    assert not hasattr(visible_years(office)[1], "marked")
    assert third[0].scheme.id == third[0].scheme_id


def test_a_year_that_is_gone_is_gone() -> None:
    office = RoleFactory(kind="assessment_office").user
    year = make_year(2016)
    assert [y.year for y in visible_years(office)] == [2016]
    year.delete()
    assert visible_years(office) == []
