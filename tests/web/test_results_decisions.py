"""The party group's decisions through the pages, and one truth after publication (issue 8).

The tied year (results_support.tied_year) has a tied group across every honor's boundary.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from kaohe.assessment.bundle_io import year_export_document, year_import
from kaohe.engine import parse_bundle
from kaohe.engine.cli import main as engine_main
from kaohe.org.models import Department
from kaohe.results.models import Publication
from kaohe.results.seal import seal_publication
from kaohe.results.selectors import year_proposal
from kaohe.years.models import Year
from tests.web.factories import PASSWORD, RoleFactory, add_adjustment
from tests.web.results_support import party_member, tied_bundle_document, tied_year, year_wipe

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
    assert "临界并列已决定" in row(html, "D05")
    assert html.count("临界并列") == html.count("临界并列已决定")  # no tie left open


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


# --- the confirmation page follows the engine ---------------------------------------------


def preview(user: Any, **choices: list[str]) -> str:
    """The htmx preview of the confirmation page for these choices."""
    response = client(user).post("/results/2016/confirm/preview/", choices)
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, honor: str) -> str:
    """The preview's card of one honor: the names holding it."""
    found = re.search(rf'data-honor="{honor}">(.*?)</div>', html, re.S)
    assert found is not None, honor
    return found.group(1)


def test_the_preview_follows_each_choice_through_the_cascade() -> None:
    # given the tied year, nothing decided: a question per tied group, D05 advanced
    tied_year()
    party = party_member()
    html = preview(party)
    for tier in ("advanced", "praised", "progress", "bottom"):
        assert f'name="tie_{tier}"' in html, tier
    assert "机关党委" in card(html, "advanced")  # D05
    # when D06 alone keeps advanced: D05 is praised first, the praised tie still open
    html = preview(party, tie_advanced=["D06"])
    assert "机关党委" in card(html, "praised") and "机关党委" not in card(html, "advanced")
    assert 'name="tie_praised"' in html
    # when D10 keeps praised too: D11 (up 10 places) is most improved, and the progress tie
    # of D16 and D17 vanishes (they are 6th and 7th risers now), so its question goes
    html = preview(party, tie_advanced=["D06"], tie_praised=["D10"])
    assert "技术进步处" in card(html, "progress")  # D11
    assert "节能与综合利用处" not in card(html, "progress")  # D16
    assert 'name="tie_progress"' not in html
    assert 'name="tie_bottom"' in html


def test_the_preview_says_what_is_still_to_decide_in_chinese() -> None:
    tied_year()
    html = preview(party_member(), recommended=["D01", "D02", "D03"], tie_advanced=["D06"])
    pending = html.split('id="pending"', 1)[1].split("</div>", 1)[0]
    assert "推荐:须从先进处室中选择 2 个(现选 3 个)。" in pending
    assert "表扬:产业发展处、技术进步处 在名额界限处并列,剩余 1 个名额,由党组决定。" in pending
    assert "先进处室:" not in pending  # decided


def test_publishing_with_choices_left_open_or_forged_is_refused_in_chinese() -> None:
    # given the tied year
    tied_year()
    party = party_member()
    # when the bottom tie is left open / then nothing is published, and the page says why
    response = confirm(
        party,
        2016,
        recommended=["D01", "D02"],
        tie_advanced=["D06"],
        tie_praised=["D10"],
    )
    assert response.status_code == 200
    errors = response.content.decode().split('id="confirm-errors"', 1)[1].split("</ul>", 1)[0]
    assert "公布前须对每一处临界并列和推荐人选作出决定。" in errors
    assert "末两名:无线电管理处综合科、无线电管理处监测科 在名额界限处并列" in errors
    # when a department outside the group is posted / then it is refused as well
    response = confirm(
        party,
        2016,
        recommended=["D01", "D02"],
        tie_advanced=["D04"],
        tie_praised=["D10"],
        tie_bottom=["D18"],
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()


def test_only_the_party_group_previews() -> None:
    tied_year()
    for kind in ("assessment_office", "leader"):
        user = RoleFactory(kind=kind).user
        assert client(user).post("/results/2016/confirm/preview/", {}).status_code == 403
    assert client(party_member()).get("/results/2016/confirm/preview/").status_code == 405


# --- anyone can recompute the published honors ---------------------------------------------


def test_kaohe_compute_on_the_published_bundle_gives_the_published_page(tmp_path: Path) -> None:
    # given version 1 published with decisions at every tier
    publication = _publish_with_d05_left_out_of_advanced()
    office = RoleFactory(kind="assessment_office").user
    # when its bundle.json is downloaded and computed by the command line
    downloaded = client(office).get("/results/2016/versions/1/bundle.json")
    path = tmp_path / "bundle.json"
    path.write_bytes(downloaded.content)
    out = tmp_path / "results.json"
    assert engine_main(["compute", str(path), "-o", str(out)]) == 0
    computed = json.loads(out.read_text("utf-8"))
    # then it prints exactly the published results: honors, flags and ranks
    assert computed == publication.results
    assert "boundary_tie" not in out.read_text("utf-8")
    # and the published page shows those honors
    html = client(RoleFactory(kind="leader").user).get("/results/2016/").content.decode()
    names = {d["code"]: d["name"] for d in publication.bundle["departments"]}
    for d in computed["departments"]:
        shown = re.findall(r'class="honor (\w+)"', row(html, d["code"]))
        assert shown == d["honors"], d["code"]
        assert names[d["code"]] in row(html, d["code"])


def test_the_leader_sees_the_published_honors_everywhere() -> None:
    _publish_with_d05_left_out_of_advanced()
    leader = client(RoleFactory(kind="leader").user)
    home = leader.get("/").content.decode()
    assert "已公布第1版" in home
    published = leader.get("/results/2016/").content.decode()
    assert "机关党委" in published.split('id="honors"', 1)[1].split("</section>", 1)[0]
    across = leader.get("/results/across/").content.decode()
    assert re.search(r"机关党委.*?honor praised", across, re.S)
    # and no longer the live computation
    assert leader.get("/results/2016/proposal/").status_code == 403


def test_a_head_sees_the_published_result_of_the_department_on_the_workbench() -> None:
    publication = _publish_with_d05_left_out_of_advanced()
    d05 = Department.objects.get(code="D05")
    head = client(RoleFactory(kind="department_head", department=d05).user)
    home = head.get("/").content.decode()
    line = home.split('id="wb-published"', 1)[1].split("</ul>", 1)[0]
    total = next(d["total"] for d in publication.results["departments"] if d["code"] == "D05")
    assert "机关党委" in line and "第5名" in line and total in line and "表扬" in line


# --- the live computation, for the assessment office ---------------------------------------


def test_after_a_change_the_office_sees_the_live_computation_and_its_differences() -> None:
    # given version 1, then a late adjustment breaking the D05–D06 tie
    _publish_with_d05_left_out_of_advanced()
    year = Year.objects.get(year=2016)
    add_adjustment(year, Department.objects.get(code="D05"), "0.5", "党组研究加分")
    office = client(RoleFactory(kind="assessment_office").user)
    leader = client(RoleFactory(kind="leader").user)
    # then the overview still shows version 1 to everyone
    for c in (office, leader):
        html = c.get("/years/2016/overview/").content.decode()
        assert "表扬" in row(html, "D05") and "第1版" in html
    # and the office alone sees the live computation, labelled, with what differs
    html = office.get("/years/2016/overview/").content.decode()
    live = html.split('id="live-changes"', 1)[1].split("</section>", 1)[0]
    assert "当前计算(未发布)" in live and "机关党委" in live and "119.50" in live
    assert 'id="live-changes"' not in leader.get("/years/2016/overview/").content.decode()
    page = office.get("/years/2016/departments/D05/").content.decode()
    assert "119.50" in page.split('id="live-changes"', 1)[1].split("</section>", 1)[0]
    proposal = office.get("/results/2016/proposal/").content.decode()
    assert "当前计算(未发布)" in proposal
    # the party group's earlier advanced decision no longer fits: said, and left out
    stale = proposal.split('id="stale"', 1)[1].split("</div>", 1)[0]
    assert "先进处室:此处已没有跨越名额界限的并列,无需决定。" in stale


def test_the_export_leaves_out_a_decision_that_no_longer_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given version 1, then the D05–D06 tie broken
    _publish_with_d05_left_out_of_advanced()
    year = Year.objects.get(year=2016)
    add_adjustment(year, Department.objects.get(code="D05"), "0.5", "党组研究加分")
    # when exported
    path = tmp_path / "export.json"
    call_command("export", "--year", "2016", "-o", str(path))
    # then the advanced decision is left out, with a warning, and the rest kept
    document = json.loads(path.read_text("utf-8"))
    assert "advanced" not in document["decisions"]["ties"]
    assert document["decisions"]["ties"]["bottom"] == ["D18", "D19"]
    assert "warning: decisions.ties.advanced" in capsys.readouterr().err
    assert engine_main(["compute", str(path), "-o", str(tmp_path / "r.json")]) == 0


# --- export and import keep the decisions -------------------------------------------------


def test_export_import_export_keeps_the_decisions() -> None:
    # given a bundle carrying the party group's decisions, imported
    doc = tied_bundle_document()
    doc["decisions"] = {"recommended": ["D02", "D01"], "ties": {"praised": ["D11"]}}
    year = year_import(by=None, bundle=parse_bundle(doc))
    # then they are the year's standing decisions: the proposal applies them
    results = {d.code: d for d in year_proposal(year).results.departments}
    assert results["D10"].honors == () and "tie_settled" in results["D10"].flags
    first = year_export_document(year)
    assert first["decisions"] == {"recommended": ["D01", "D02"], "ties": {"praised": ["D11"]}}
    # when the database is emptied of the year and the export imported and exported again
    year_wipe(year)
    second = year_export_document(year_import(by=None, bundle=parse_bundle(first)))
    # then both exports are the same document
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


# --- versions published before decisions were engine input -------------------------------


def test_an_older_version_announces_the_honors_stored_with_it() -> None:
    # given a version stored the earlier way: the engine's results, honors edited apart
    tied_year()
    year = Year.objects.get(year=2016)
    p = year_proposal(year)
    honors = {d.code: list(d.honors) for d in p.results.departments}
    honors["D06"] = ["praised"]  # the web's decision of the time
    older = Publication(
        year=year,
        number=1,
        bundle=p.document,
        digest=p.digest,
        results=p.results_doc,
        honors=honors,
        decisions={"recommended": ["D01", "D02"], "ties": []},
        meeting="党组会",
        confirmed_by=party_member(),
    )
    seal_publication(older, previous=None)
    older.save()
    # then its pages announce the stored honors
    leader = client(RoleFactory(kind="leader").user)
    assert "表扬" in row(leader.get("/results/2016/").content.decode(), "D06")
    assert "表扬" in row(leader.get("/years/2016/overview/").content.decode(), "D06")


def test_without_javascript_the_preview_button_shows_the_honors_and_publishes_nothing() -> None:
    tied_year()
    c = client(party_member())
    page = c.get("/results/2016/confirm/").content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    assert digest is not None
    response = c.post(
        "/results/2016/confirm/",
        {"digest": digest.group(1), "tie_advanced": ["D06"], "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Publication.objects.exists()
    assert "机关党委" in card(html, "praised")
    assert "这个字段是必填项" not in html  # the meeting is not asked for until publishing


def test_a_bundle_whose_decisions_do_not_fit_is_not_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the tied year's bundle deciding a praised tie for two departments not in it
    doc = tied_bundle_document()
    doc["decisions"] = {"ties": {"praised": ["D07", "D08"]}}
    path = tmp_path / "year.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    # when imported / then refused like `kaohe compute` refuses it, and nothing is stored
    with pytest.raises(SystemExit) as exc:
        call_command("import", str(path))
    assert exc.value.code == 2
    assert "decisions.ties.praised: department D07 is not in the tied group D10, D11" in (
        capsys.readouterr().err
    )
    assert not Year.objects.exists()


@pytest.mark.parametrize(("kind", "linked"), [("assessment_office", True), ("leader", False)])
def test_after_publication_the_menu_leads_to_the_live_computation_only_for_the_office(
    kind: str, linked: bool
) -> None:
    # given version 1 published (the live computation is then the office's, rules of access)
    _publish_with_d05_left_out_of_advanced()
    user = RoleFactory(kind=kind).user
    # when the user opens the home page
    c = client(user)
    menu = c.get("/").content.decode().split('<nav class="menu"', 1)[1].split("</nav>", 1)[0]
    # then the menu links the live computation only for who may open it (not a 403)
    assert ('href="/results/2016/proposal/"' in menu) is linked
    assert c.get("/results/2016/proposal/").status_code == (200 if linked else 403)
