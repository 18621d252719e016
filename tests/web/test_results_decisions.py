"""The party group's decisions through the pages, and one truth after publication (issue 8).

The tied year (results_support.tied_year) has a tied group across every honor's boundary.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kaohe.results.models import Publication
from tests.web.factories import PASSWORD, RoleFactory
from tests.web.results_support import party_member, tied_year

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def row(html: str, code: str) -> str:
    """The table row of a department (`data-code`), as HTML text."""
    found = re.search(rf'<tr[^>]*data-code="{code}"[^>]*>(.*?)</tr>', html, re.S)
    assert found is not None, code
    return found.group(1)


def confirm(user: Any, year: int, **choices: list[str]) -> Any:
    """Post the confirmation page with these choices, as its form names them."""
    c = client(user)
    page = c.get(f"/results/{year}/confirm/").content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    assert digest is not None
    data: dict[str, Any] = {"digest": digest.group(1), "meeting": "委党组会议(2017-01-20)"}
    data.update(choices)
    return c.post(f"/results/{year}/confirm/", data)


# --- the symptoms ------------------------------------------------------------------


def test_the_proposal_recommends_both_departments_tied_at_the_second_place() -> None:
    # given the tied year: D02 and D03 share the 2nd place (2 to recommend)
    tied_year()
    office = RoleFactory(kind="assessment_office").user
    # when the office opens the proposal
    html = client(office).get("/results/2016/proposal/").content.decode()
    # then both are proposed for 推荐, each flagged as tied across the boundary, as the engine says
    for code in ("D02", "D03"):
        assert "推荐市级机关优秀处室" in row(html, code), code
        assert "临界并列" in row(html, code), code
    assert "推荐市级机关优秀处室" not in row(html, "D04")


def test_a_department_left_out_of_a_praised_tie_that_rose_is_most_improved() -> None:
    # given the tied year where only D11 (10th with D10, 12th last year) rose
    tied_year(previous_ranks={"D11": 12})
    # when the party group keeps D10 praised and settles the other ties keeping everyone
    response = confirm(
        party_member(),
        2016,
        recommended=["D01", "D02"],
        tie_advanced=["D05", "D06"],
        tie_praised=["D10"],
        tie_bottom=["D18", "D19"],
    )
    assert response.status_code == 302, response.content.decode()
    # then 争先进位 is computed after that decision: D11 rose 2 places and gets it
    results = {d["code"]: d for d in Publication.objects.get().results["departments"]}
    assert results["D11"]["honors"] == ["progress"]
    assert results["D10"]["honors"] == ["praised"]


def _publish_with_d05_left_out_of_advanced() -> Publication:
    tied_year()
    response = confirm(
        party_member(),
        2016,
        recommended=["D01", "D02"],
        tie_advanced=["D06"],
        tie_praised=["D10", "D11"],
        tie_progress=["D16", "D17"],
        tie_bottom=["D18", "D19"],
    )
    assert response.status_code == 302, response.content.decode()
    return Publication.objects.get()


def test_after_publication_the_overview_shows_the_published_honors() -> None:
    # given version 1 published with D05 left out of advanced (so praised)
    _publish_with_d05_left_out_of_advanced()
    leader = RoleFactory(kind="leader").user
    # when a leader opens the overview
    html = client(leader).get("/years/2016/overview/").content.decode()
    # then it shows the published honors, naming the version, and no open tie
    assert "表扬" in row(html, "D05") and "先进处室" not in row(html, "D05")
    assert "先进处室" in row(html, "D06")
    assert "第1版" in html
    assert "临界并列(由党组研究决定)" not in html


def test_after_publication_a_department_page_shows_the_published_honors() -> None:
    # given version 1 published with D05 left out of advanced
    _publish_with_d05_left_out_of_advanced()
    leader = RoleFactory(kind="leader").user
    # when its page is opened
    html = client(leader).get("/years/2016/departments/D05/").content.decode()
    summary = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    # then it says 表扬, as published, and names the version
    assert "表扬" in summary and "先进处室" not in summary
    assert "第1版" in html
