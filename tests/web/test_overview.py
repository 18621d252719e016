"""The overview shows exactly what `kaohe compute` gives on `kaohe export` of the year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import html

from kaohe.assessment.bundle_io import year_import
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.engine.cli import main as engine_main
from kaohe.years.models import Year
from tests.web.conftest import World
from tests.web.factories import RoleFactory, add_entry

pytestmark = pytest.mark.django_db

KINDS = ("democratic", "style", "leader")


def overview_rows(user: Any, year: int) -> list[dict[str, Any]]:
    """The overview's table as data: one dict per row, cells by their data-col."""
    client = Client()
    client.force_login(user)
    response = client.get(reverse("years:overview", args=[year]))
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    rows = []
    for tr in tree.xpath("//table[contains(@class, 'overview')]/tbody/tr"):
        cells = {td.get("data-col"): td.text_content().strip() for td in tr.xpath("td[@data-col]")}
        cells["code"] = tr.get("data-code")
        cells["honors"] = tr.get("data-honors").split()
        cells["flags"] = tr.get("data-flags").split()
        cells["vetoed"] = tr.get("data-vetoed") == "1"
        rows.append(cells)
    return rows


def compute_cli(tmp_path: Path, year: int) -> dict[str, Any]:
    """`kaohe export --year Y` then `kaohe compute` on the bundle, as an operator would."""
    bundle, results = tmp_path / "bundle.json", tmp_path / "results.json"
    call_command("export", "--year", str(year), "-o", str(bundle))
    assert engine_main(["compute", str(bundle), "-o", str(results)]) == 0
    document: dict[str, Any] = json.loads(results.read_text(encoding="utf-8"))
    return document


def test_overview_numbers_equal_kaohe_compute_on_the_exported_demo_year(tmp_path: Path) -> None:
    # given the realistic demo year, twenty departments, imported
    year_import(by=None, bundle=parse_bundle(demo_bundle_document()))
    office = RoleFactory(kind="assessment_office").user
    # when the office opens the overview, and an operator exports and computes the year
    rows = overview_rows(office, 2016)
    expected = compute_cli(tmp_path, 2016)["departments"]
    # then every figure, rank, honor and flag is the same, in the same order
    assert [r["code"] for r in rows] == [d["code"] for d in expected]
    scheme = Year.objects.get(year=2016).scheme
    for row, want in zip(rows, expected, strict=True):
        assert row["rank"] == str(want["rank"])
        for code, value in want["categories"].items():
            assert row[code] == value, (want["code"], code)
        assert row["content"] == want["content"]
        for kind in KINDS:
            rated = scheme.kinds[kind].rates(scheme_type(want["code"]))
            assert row[kind] == (want["evaluation"][kind] if rated else "—"), (want["code"], kind)
            if not rated:
                assert want["evaluation"][kind] == "0.00"
        assert row["evaluation_total"] == want["evaluation_total"]
        assert row["adjustment"] == want["adjustment"]
        assert row["total"] == want["total"]
        assert row["honors"] == want["honors"]
        assert row["vetoed"] == want["vetoed"]
        assert row["flags"] == want["flags"]


def scheme_type(code: str) -> str:
    return next(d["type"] for d in demo_bundle_document()["departments"] if d["code"] == code)


def test_overview_counts_what_awaits_review_and_links_each_department(world: World) -> None:
    add_entry(world.year, world.js, "1.report_missed", status="submitted")
    add_entry(world.year, world.xx, "1.target_unmet", status="submitted")
    add_entry(world.year, world.bg, "1.report_missed", status="draft")
    client = Client()
    client.force_login(world.leader)
    body = client.get(reverse("years:overview", args=[2016])).content.decode()
    assert '<span class="n" data-count="awaiting-review">2</span>' in body
    for code in ("JS", "XX", "BG"):
        assert reverse("years:department", args=[2016, code]) in body


@pytest.mark.parametrize("who", ["head_js", "liaison_js", "clerk_zh", "outsider"])
def test_the_overview_is_only_for_readers_of_everything(world: World, who: str) -> None:
    client = Client()
    client.force_login(getattr(world, who))
    assert client.get(reverse("years:overview", args=[2016])).status_code == 403


@pytest.mark.parametrize(("who", "linked"), [("office", True), ("leader", False), ("party", False)])
def test_the_overview_links_the_review_queue_only_for_who_may_open_it(
    world: World, who: str, linked: bool
) -> None:
    # given a year with an entry awaiting review
    add_entry(world.year, world.js, "1.report_missed", status="submitted")
    client = Client()
    client.force_login(getattr(world, who))
    # when the user opens the overview
    body = client.get(reverse("years:overview", args=[2016])).content.decode()
    # then the count is there, and the queue is linked only for who gets it (not a 403)
    review = reverse("ledger:review", args=[2016])
    assert '<span class="n" data-count="awaiting-review">1</span>' in body
    assert (f'href="{review}"' in body) is linked
    assert client.get(review).status_code == (200 if linked else 403)


def test_the_overview_counts_what_awaits_the_office() -> None:
    # given a year with three submitted entries (one a range without its amount), two open
    # objections and a resolved one on confirmed entries, and another year's submitted entry
    from kaohe.ledger.models import Objection
    from tests.web.factories import make_departments, make_year

    departments = make_departments(2)
    year = make_year(2016, departments)
    other = make_year(2017, departments)
    a, b = departments
    add_entry(year, a, "1.report_missed", status="submitted")
    add_entry(year, b, "1.report_missed", status="submitted")
    add_entry(year, a, "1.target_unmet", status="submitted")
    add_entry(other, a, "1.report_missed", status="submitted")
    for status in ("open", "open", "resolved"):
        confirmed = add_entry(year, b, "1.report_missed")
        Objection.objects.create(entry=confirmed, reason="不同意", status=status)
    office = RoleFactory(kind="assessment_office").user
    client = Client()
    client.force_login(office)
    # when the office opens the overview
    page = html.fromstring(client.get(reverse("years:overview", args=[2016])).content.decode())
    # then it counts three awaiting review, one range to decide, two open objections
    stats = [
        s.text_content().split()[0] for s in page.xpath("//div[@class='stat']/span[@class='n']")
    ]
    assert stats[:3] == ["3", "1", "2"]
