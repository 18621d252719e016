"""In Chromium: a year with ties at every tier, from the proposal through the party group's
choices and their preview to the published page; then `kaohe compute` on the downloaded
bundle.json, and the pages that must show the published honors (issue 8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kaohe.engine.cli import main as engine_main
from kaohe.org.models import Department
from kaohe.results.models import Publication
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import RoleFactory
from tests.web.results_support import tied_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def honors_on(page: Any, selector: str) -> dict[str, list[str]]:
    """Each row's honor codes (the badges' classes) in a ranking table of the page."""
    rows = page.locator(f"{selector} tr[data-code]")
    out = {}
    for i in range(rows.count()):
        tr = rows.nth(i)
        badges = tr.locator("span.honor")
        out[tr.get_attribute("data-code")] = [
            (badges.nth(j).get_attribute("class") or "").split()[1] for j in range(badges.count())
        ]
    return out


def tick(page: Any, field: str, code: str) -> None:
    """Tick a department in a choice and wait for the preview htmx brings back."""
    with page.expect_response(lambda r: r.url.endswith("/confirm/preview/")):
        page.check(f"#choice-{field} input[value={code}]")
    Pages.settled(page)


def card(page: Any, honor: str) -> str:
    """The preview's card of one honor."""
    return str(page.inner_text(f"#preview [data-honor={honor}]"))


@pytest.mark.parametrize("device", VIEWPORTS)
def test_ties_at_every_tier_from_proposal_to_published_page(
    pages: Pages, tmp_path: Path, device: str
) -> None:
    world = pages.world
    tied_year(2017)
    base = pages.base
    # the assessment office's proposal: both tied 2nd places proposed for 推荐, ties listed
    office = pages.login(world.office, device)
    office.goto(f"{base}/results/2017/proposal/")
    proposal = honors_on(office, "table.ranking")
    assert "recommended" in proposal["D02"] and "recommended" in proposal["D03"]
    assert office.locator("#open-ties li").count() == 5
    pages.shot(office, f"decisions-proposal-{device}")
    # the party group opens the confirmation page: a question per tied group
    party = pages.login(world.party, device)
    party.goto(f"{base}/results/2017/confirm/")
    for tier in ("advanced", "praised", "progress", "bottom"):
        assert party.locator(f"#choice-tie_{tier}").count() == 1, tier
    pages.shot(party, f"decisions-confirm-{device}")
    # D06 keeps advanced: D05 (机关党委) becomes the first praised
    tick(party, "tie_advanced", "D06")
    assert "机关党委" in card(party, "praised")
    assert "机关党委" not in card(party, "advanced")
    # D10 keeps praised: D11 (技术进步处, up 10 places) is most improved, and the progress
    # tie it displaced vanishes from the form
    tick(party, "tie_praised", "D10")
    assert "技术进步处" in card(party, "progress")
    assert party.locator("#choice-tie_progress").count() == 0
    tick(party, "recommended", "D02")
    tick(party, "tie_bottom", "D19")
    assert party.locator("#pending li").count() == 0
    preview = honors_on(party, "#preview table.ranking")
    pages.shot(party, f"decisions-preview-{device}")
    assert pages.fits(party)
    party.fill("input[name=meeting]", "委党组会议(2018-01-20)")
    party.fill("input[name=notice_number]", "常经信党〔2018〕3号")
    party.click("#publish")
    party.wait_for_url(f"{base}/results/2017/")
    # the published page announces exactly the previewed honors
    assert "第1版" in party.inner_text("#version-info")
    published = honors_on(party, "#ranking")
    assert published == preview
    pages.shot(party, f"decisions-published-{device}")
    # anyone recomputing the downloaded bundle.json gets the published page's honors
    download = office.request.get(f"{base}/results/2017/versions/1/bundle.json")
    bundle, results = tmp_path / "bundle.json", tmp_path / "results.json"
    bundle.write_bytes(download.body())
    assert engine_main(["compute", str(bundle), "-o", str(results)]) == 0
    computed = json.loads(results.read_text("utf-8"))
    assert {d["code"]: d["honors"] for d in computed["departments"]} == published
    assert computed == Publication.objects.get().results
    # the overview, a department's page and the leader's workbench show the published honors
    leader = pages.login(world.leader, device)
    leader.goto(f"{base}/years/2017/overview/")
    rows = leader.locator("table.overview tr[data-code]")
    shown = {
        rows.nth(i).get_attribute("data-code"): (rows.nth(i).get_attribute("data-honors") or "")
        for i in range(rows.count())
    }
    assert {c: h.split() for c, h in shown.items()} == published
    assert "第1版" in leader.inner_text("#shown-version")
    pages.shot(leader, f"decisions-overview-{device}")
    leader.goto(f"{base}/")
    assert "已公布第1版" in leader.inner_text("#wb-shown")
    head = pages.login(
        RoleFactory(kind="department_head", department=Department.objects.get(code="D05")).user,
        device,
    )
    head.goto(f"{base}/years/2017/departments/D05/")
    summary = head.inner_text("#summary")
    assert "表扬" in summary and "先进处室" not in summary
    pages.shot(head, f"decisions-department-{device}")
