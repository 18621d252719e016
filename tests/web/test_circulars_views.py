"""The circular's pages beyond the access matrix: refusals in Chinese, unknown half-years, the
htmx preview, a draft that stays hidden until it is published."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.results import actions
from kaohe.results.models import CircularDraft
from tests.web.conftest import World
from tests.web.test_circulars import JULY

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_bad_number_is_refused_in_chinese_and_nothing_is_written(world: World) -> None:
    rows = AuditEvent.objects.count()
    data = {"half": "H1", "number": "常经信考(2016)3号", "date": "2016-07-20"}
    response = client(world.office).post("/results/2016/circulars/", data)
    assert response.status_code == 400
    assert "六角括号" in response.content.decode()
    assert not CircularDraft.objects.exists()
    assert AuditEvent.objects.count() == rows


def test_a_draft_is_hidden_from_departments_until_it_is_published(world: World) -> None:
    actions.circular_draft(
        by=world.office, year=world.year, half="H1", number="常经信考〔2016〕3号", date=JULY
    )
    head = client(world.head_js)
    assert "常经信考〔2016〕3号" not in head.get("/results/2016/circulars/").content.decode()
    assert head.get("/results/2016/circulars/H1/").status_code == 404
    assert head.get("/results/2016/circulars/H1/circular.pdf").status_code == 404
    office = client(world.office)
    assert "常经信考〔2016〕3号" in office.get("/results/2016/circulars/").content.decode()
    draft = CircularDraft.objects.get()
    actions.circular_publish(by=world.office, draft=draft)
    assert "常经信考〔2016〕3号" in head.get("/results/2016/circulars/").content.decode()
    assert head.get("/results/2016/circulars/H1/").status_code == 200


def test_an_unknown_half_year_or_format_is_not_found(world: World) -> None:
    office = client(world.office)
    assert office.get("/results/2016/circulars/H3/edit/").status_code == 404
    assert office.get("/results/2016/circulars/H1/edit/").status_code == 404  # no draft
    assert office.get("/results/2016/circulars/H1/circular.xlsx").status_code == 404


def test_the_preview_is_a_fragment_for_htmx_and_a_page_otherwise(world: World) -> None:
    actions.circular_draft(
        by=world.office, year=world.year, half="H1", number="常经信考〔2016〕3号", date=JULY
    )
    office = client(world.office)
    fragment = office.get("/results/2016/circulars/H1/preview/", headers={"HX-Request": "true"})
    page = office.get("/results/2016/circulars/H1/preview/")
    assert fragment.status_code == page.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert 'id="circular"' in fragment.content.decode()
    assert "<html" in page.content.decode() and 'id="circular"' in page.content.decode()
    assert "名次（暂定）" in fragment.content.decode()
