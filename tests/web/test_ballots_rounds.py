"""The assessment office's round pages: open, issue, revoke, turnout, close, export."""

from __future__ import annotations

import hashlib
import io
import subprocess
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.ballots import actions, selectors
from kaohe.ballots.models import Ballot, BallotCode, Round, RoundStatus
from kaohe.core.codes import LENGTH, code_digest
from tests.web.ballots_support import issue, open_round, post_ballot

pytestmark = pytest.mark.django_db


OPEN_FORM = {
    "round": "democratic:year",
    "title": "2016年度机关处室民主测评",
    "group_1": "中层正职",
    "size_1": "3",
    "group_2": "中层副职",
    "size_2": "2",
}


# --- who may ---------------------------------------------------------------------------------

ROLES = ["clerk_zh", "head_js", "liaison_js", "leader", "party", "outsider"]


@pytest.mark.parametrize("persona", ROLES)
def test_only_the_assessment_office_manages_rounds(world: Any, persona: str) -> None:
    round = open_round(world)
    client = world.client(getattr(world, persona))
    pages = [
        ("get", "/ballots/2016/rounds/"),
        ("get", "/ballots/2016/rounds/open/"),
        ("post", "/ballots/2016/rounds/open/"),
        ("get", f"/ballots/rounds/{round.pk}/"),
        ("post", f"/ballots/rounds/{round.pk}/issue/"),
        ("get", f"/ballots/rounds/{round.pk}/slips.pdf"),
        ("post", f"/ballots/rounds/{round.pk}/revoke/"),
        ("get", f"/ballots/rounds/{round.pk}/turnout/"),
        ("post", f"/ballots/rounds/{round.pk}/close/"),
        ("post", f"/ballots/rounds/{round.pk}/export/"),
    ]
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 403, url
    assert not BallotCode.objects.exists()
    with pytest.raises(PermissionDenied):
        actions.codes_issue(by=getattr(world, persona), round=round)


def test_anonymous_visitors_are_sent_to_log_in(world: Any, client: Client) -> None:
    response = client.get("/ballots/2016/rounds/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_unknown_year_or_round_is_not_found(world: Any) -> None:
    client = world.client(world.office)
    assert client.get("/ballots/1999/rounds/").status_code == 404
    assert client.get("/ballots/rounds/999/").status_code == 404


def test_writes_need_post(world: Any) -> None:
    round = open_round(world)
    client = world.client(world.office)
    for url in ("issue", "revoke", "close", "export"):
        assert client.get(f"/ballots/rounds/{round.pk}/{url}/").status_code == 405


# --- opening -----------------------------------------------------------------------------------


def test_the_office_opens_a_round_the_scheme_lists_and_its_settings_freeze(world: Any) -> None:
    client = world.client(world.office)
    page = client.get("/ballots/2016/rounds/open/").content.decode()
    for value in ("democratic:H1", "democratic:year", "style:year", "leader:year"):
        assert f'value="{value}"' in page
    assert 'value="democratic:H2"' not in page  # the 2016 scheme holds no H2 democratic round
    response = client.post("/ballots/2016/rounds/open/", OPEN_FORM)
    round = Round.objects.get()
    assert response["Location"] == f"/ballots/rounds/{round.pk}/"
    assert round.status == RoundStatus.OPEN and round.title == OPEN_FORM["title"]
    assert [d["code"] for d in round.departments] == ["BG", "JS", "XX"]
    assert [g["code"] for g in round.grades] == ["excellent", "good", "fair", "poor"]
    assert round.points == {"service": "10", "general": "20"}
    assert [(g.name, g.size) for g in round.groups.all()] == [("中层正职", 3), ("中层副职", 2)]
    event = AuditEvent.objects.get(action="round_open")
    assert event.after["groups"] == {"中层正职": 3, "中层副职": 2}
    # Later changes to the year's scheme or departments do not reach the open round.
    doc = dict(world.year.scheme_document)
    doc["evaluation"] = {**doc["evaluation"], "options": {"excellent_max_share": "0.1"}}
    world.year.scheme_document = doc
    world.year.save()
    round.refresh_from_db()
    assert round.options == {"drop_extremes_min_grades": None, "excellent_max_share": None}
    # The same round cannot be opened twice; it is no longer offered.
    assert (
        'value="democratic:year"' not in client.get("/ballots/2016/rounds/open/").content.decode()
    )
    with pytest.raises(ValidationError):
        open_round(world)


def test_style_rounds_rate_only_service_departments(world: Any) -> None:
    round = open_round(world, kind="style", groups=[("区经信局", 3), ("企业代表", 4)])
    assert [d["code"] for d in round.departments] == ["JS", "XX"]
    assert round.points == {"service": "10", "general": "0"}


@pytest.mark.parametrize(
    "groups",
    [[], [("中层正职", 0)], [("中层正职", 3), ("中层正职", 2)], [("", 3)], [("x" * 51, 1)]],
)
def test_bad_voter_groups_are_refused(world: Any, groups: list[tuple[str, int]]) -> None:
    with pytest.raises(ValidationError):
        open_round(world, groups=groups)
    assert not Round.objects.exists()


def test_a_round_the_scheme_does_not_list_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError):
        open_round(world, kind="democratic", period="H2")
    client = world.client(world.office)
    response = client.post("/ballots/2016/rounds/open/", {**OPEN_FORM, "round": "leader:H1"})
    assert response.status_code == 200 and not Round.objects.exists()


def test_a_group_without_a_number_is_a_form_error(world: Any) -> None:
    client = world.client(world.office)
    response = client.post("/ballots/2016/rounds/open/", {**OPEN_FORM, "size_2": ""})
    assert "每个测评人类别都要填写名称和测评码数量" in response.content.decode()
    assert not Round.objects.exists()


# --- codes and slips ----------------------------------------------------------------------------


def test_codes_are_random_hashed_numbered_and_issued_once(world: Any) -> None:
    round = open_round(world)
    codes = issue(world, round)
    flat = codes["中层正职"] + codes["中层副职"]
    assert len(flat) == len(set(flat)) == 10 and all(len(c) == LENGTH for c in flat)
    rows = BallotCode.objects.order_by("number")
    assert [r.number for r in rows] == list(range(1, 11))
    assert {r.digest for r in rows} == {code_digest(c) for c in flat}
    assert not any(c in r.digest for r in rows for c in flat)
    event = AuditEvent.objects.get(action="round_codes_issue")
    assert event.after == {
        "groups": {
            "中层正职": {"codes": 5, "numbers": [1, 5]},
            "中层副职": {"codes": 5, "numbers": [6, 10]},
        },
        "printed": "slips",
    }
    with pytest.raises(ValidationError):
        issue(world, round)


def test_the_key_comes_from_settings(world: Any, settings: Any) -> None:
    settings.BALLOT_KEY = "one key"
    first = code_digest("0" * LENGTH)
    settings.BALLOT_KEY = "another key"
    assert code_digest("0" * LENGTH) != first
    settings.BALLOT_KEY = ""
    settings.SECRET_KEY = "s1"
    derived = code_digest("0" * LENGTH)
    settings.SECRET_KEY = "s2"
    assert code_digest("0" * LENGTH) != derived


def test_issuing_answers_with_the_slips_pdf(world: Any, tmp_path: Any) -> None:
    round = open_round(world, groups=[("中层正职", 6)])
    client = world.client(world.office)
    response = client.post(f"/ballots/rounds/{round.pk}/issue/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = f"slips-{round.pk}-0001-0006.pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    pdf = tmp_path / "slips.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.count("No. 0001") == 2  # on the stub and on the slip
    assert "No. 0006" in text and "中层正职" in text and "/v/" in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:           2" in pages  # five slips to an A4 page
    assert "A4" in pages
    assert BallotCode.objects.count() == 6
    # A second issue is refused; the page says so.
    again = client.post(f"/ballots/rounds/{round.pk}/issue/", follow=True)
    assert "各类别的测评码均已发放" in again.content.decode()


def test_the_printed_link_carries_the_code_in_the_fragment(world: Any, settings: Any) -> None:
    from kaohe.ballots import slips

    settings.BALLOT_PUBLIC_URL = "https://kaohe.example.cn/v/"
    round = open_round(world, groups=[("委领导", 1)])
    seen: list[str] = []
    original = slips.qr_svg

    def spy(url: str) -> str:
        seen.append(url)
        return original(url)

    slips.qr_svg = spy  # type: ignore[assignment]
    try:
        world.client(world.office).post(f"/ballots/rounds/{round.pk}/issue/")
    finally:
        slips.qr_svg = original  # type: ignore[assignment]
    [url] = seen
    base, code = url.split("#")
    assert base == "https://kaohe.example.cn/v/"
    assert BallotCode.objects.get().digest == code_digest(code)


def test_a_group_can_be_issued_again_until_one_of_its_codes_is_used(world: Any) -> None:
    round = open_round(world)
    first = issue(world, round)["中层正职"]
    group = round.groups.get(name="中层正职")
    again = actions.codes_issue(by=world.office, round=round, group=group)
    assert [c.number for c in again] == list(range(11, 16))
    assert all(actions.code_find(c).revoked for c in first)  # type: ignore[union-attr]
    assert post_ballot(Client(), round, {}, first[0]).status_code == 403
    assert post_ballot(Client(), round, {}, again[0].code).status_code == 302
    with pytest.raises(ValidationError):
        actions.codes_issue(by=world.office, round=round, group=group)


def test_the_specimen_sheet_prints_codes_that_cannot_vote(world: Any) -> None:
    round = open_round(world)
    response = world.client(world.office).get(f"/ballots/rounds/{round.pk}/slips.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not BallotCode.objects.exists()
    assert post_ballot(Client(), round, {}, "U" * LENGTH).status_code == 403


def revoke(client: Client, round: Round, numbers: str) -> str:
    """Post the revoke form; the messages shown on the round page that follows."""
    page = client.post(f"/ballots/rounds/{round.pk}/revoke/", {"numbers": numbers}, follow=True)
    return " ".join(m.message for m in page.context["messages"])


def test_lost_slips_are_revoked_by_number(world: Any) -> None:
    round = open_round(world)
    codes = issue(world, round)["中层正职"]
    client = world.client(world.office)
    assert revoke(client, round, "2, 4-5") == "已作废：2, 4-5。"
    assert set(BallotCode.objects.filter(revoked=True).values_list("number", flat=True)) == {
        2,
        4,
        5,
    }
    assert AuditEvent.objects.get(action="round_codes_revoke").after == {
        "request": "2, 4-5",
        "numbers": [2, 4, 5],
    }
    assert post_ballot(Client(), round, {}, codes[1]).status_code == 403
    assert revoke(client, round, "4") == "这些测评票此前已经作废。"
    assert revoke(client, round, "99") == "没有编号为 99 的测评票，未作废任何测评票。"
    assert "请填写测评票编号" in revoke(client, round, "seven")
    assert BallotCode.objects.filter(revoked=True).count() == 3


def test_the_revoke_form_answers_the_same_whether_or_not_slips_were_used(world: Any) -> None:
    # Two rounds alike, codes 1-10 each; in the first, slips 1 and 3 have voted.
    used_round = open_round(world, groups=[("中层正职", 10)])
    idle_round = open_round(world, kind="leader", groups=[("委领导", 10)])
    codes = issue(world, used_round)["中层正职"]
    issue(world, idle_round)
    post_ballot(Client(), used_round, {"JS": "good"}, codes[0])
    post_ballot(Client(), used_round, {"JS": "fair"}, codes[2])
    client = world.client(world.office)
    numbers = [(idle_round.pk, 10), (used_round.pk, 10)]
    for request in ("3", "2", "1, 3", "1-101", "1-10"):
        answers = {revoke(client, r, request) for r in (idle_round, used_round)}
        assert len(answers) == 1, (request, answers)
        turnout = [
            (g.revoked, g.issued)
            for r in (idle_round, used_round)
            for g in selectors.round_turnout(r)
        ]
        assert len(set(turnout)) == 1, (request, turnout)
    assert sorted(
        BallotCode.objects.filter(revoked=True).values_list("round", flat=True)
    ) == sorted(pk for pk, n in numbers for _ in range(n))
    # A used slip, revoked or not, keeps its ballot; its code still only says "already submitted".
    assert Ballot.objects.count() == 2
    assert "已经提交" in post_ballot(Client(), used_round, {}, codes[0]).content.decode()
    # Every attempt is audited, the refused ones too: 5 requests in each round.
    events = AuditEvent.objects.filter(action="round_codes_revoke")
    assert events.count() == 10
    assert {e.after["request"] for e in events} == {"1-101", "1-10", "3", "1, 3", "2"}


def test_a_refused_revocation_is_audited_and_changes_nothing(world: Any) -> None:
    round = open_round(world)
    issue(world, round)
    for numbers in ("seven", "", "1-5000", "7-3", "²", "9" * 20, "1, " * 100):
        with pytest.raises(ValidationError):
            actions.code_revoke(by=world.office, round=round, numbers=numbers)
    actions.round_close(by=world.office, round=round)
    with pytest.raises(ValidationError):
        actions.code_revoke(by=world.office, round=round, numbers="1")
    events = AuditEvent.objects.filter(action="round_codes_revoke").order_by("id")
    assert [e.after["refused"] for e in events] == ["syntax"] * 7 + ["closed"]
    assert all(e.after["numbers"] == [] for e in events)
    assert not BallotCode.objects.filter(revoked=True).exists()


# --- turnout, closing, export --------------------------------------------------------------------


def test_turnout_shows_counts_per_group_and_no_results_while_open(world: Any) -> None:
    round = open_round(world)
    codes = issue(world, round)
    post_ballot(Client(), round, {"JS": "excellent"}, codes["中层正职"][0])
    post_ballot(Client(), round, {"JS": "poor"}, codes["中层副职"][0])
    client = world.client(world.office)
    page = client.get(f"/ballots/rounds/{round.pk}/turnout/").content.decode()
    assert 'hx-trigger="every 5s"' in page
    partial = client.get(f"/ballots/rounds/{round.pk}/turnout/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "中层正职" in body and "20%" in body
    for page in (body, client.get(f"/ballots/rounds/{round.pk}/").content.decode()):
        assert "技术进步处" not in page.split("开启时固定的设置")[0]  # no department figures
        assert "优秀 1" not in page and "较差 1" not in page


def test_closing_checks_ballots_against_codes_and_tallies(world: Any) -> None:
    round = open_round(world)
    codes = issue(world, round)
    for code in codes["中层正职"][:3]:
        post_ballot(Client(), round, {"JS": "excellent", "XX": "good", "BG": "fair"}, code)
    post_ballot(Client(), round, {"JS": "fair"}, codes["中层副职"][0])
    client = world.client(world.office)
    client.post(f"/ballots/rounds/{round.pk}/close/")
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED and round.closed_by == world.office
    points = {d["code"]: d["display"] for d in round.tally["departments"]}
    assert points == {"BG": "12.00", "JS": "9.00", "XX": "8.00"}
    assert round.tally["groups"]["中层正职"]["ballots"] == 3
    assert round.tally["groups"]["中层副职"] == {"ballots": 1, "withheld": True}
    page = client.get(f"/ballots/rounds/{round.pk}/").content.decode()
    assert "9.00" in page and "人数过少" in page
    event = AuditEvent.objects.get(action="round_close")
    assert event.after["ballots"] == 4 and event.after["points"]["JS"] == "9"
    # Nothing changes after closing.
    with pytest.raises(ValidationError):
        actions.round_close(by=world.office, round=round)
    with pytest.raises(ValidationError):
        actions.code_revoke(by=world.office, round=round, numbers="9")
    assert post_ballot(Client(), round, {}, codes["中层副职"][1]).status_code == 403


def test_closing_refuses_when_ballots_and_used_codes_disagree(world: Any) -> None:
    round = open_round(world)
    codes = issue(world, round)
    post_ballot(Client(), round, {"JS": "good"}, codes["中层正职"][0])
    Ballot.objects.create(round=round, group="中层正职", grades={"JS": "poor"})  # smuggled in
    response = world.client(world.office).post(f"/ballots/rounds/{round.pk}/close/", follow=True)
    assert "数目不符" in response.content.decode()
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN


def test_closed_rounds_feed_the_years_results(world: Any) -> None:
    from kaohe.results.bundle import year_results

    round = open_round(world, kind="leader", groups=[("委领导", 2)])
    codes = issue(world, round)["委领导"]
    post_ballot(Client(), round, {"JS": "good", "BG": "excellent"}, codes[0])
    post_ballot(Client(), round, {"JS": "fair", "BG": "excellent"}, codes[1])
    before = {d.code: d.evaluation["leader"] for d in year_results(world.year).departments}
    assert before["JS"] == 0
    actions.round_close(by=world.office, round=round)
    after = {d.code: d.evaluation["leader"] for d in year_results(world.year).departments}
    tally = {d["code"]: d["points"] for d in Round.objects.get().tally["departments"]}
    assert str(after["JS"]) == tally["JS"] == "7"
    assert str(after["BG"]) == tally["BG"] == "10"


def test_export_is_shuffled_complete_and_its_digest_audited(world: Any) -> None:
    round = open_round(world, groups=[("中层正职", 10)])
    codes = issue(world, round)["中层正职"]
    grades = ["excellent", "good", "fair", "poor"]
    for i, code in enumerate(codes):
        post_ballot(Client(), round, {"JS": grades[i % 4]} if i < 9 else {}, code)
    client = world.client(world.office)
    assert client.post(f"/ballots/rounds/{round.pk}/export/").status_code == 302  # still open
    actions.round_close(by=world.office, round=round)
    orders = set()
    for _ in range(3):
        response = client.post(f"/ballots/rounds/{round.pk}/export/")
        digest = hashlib.sha256(response.content).hexdigest()
        assert response["X-Content-SHA256"] == digest
        assert AuditEvent.objects.filter(
            action="round_ballots_export", after__sha256=digest
        ).exists()
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:2] == ("选票编号", "测评人类别")
        assert len(rows) == 11
        assert sorted(str(r[0]) for r in rows[1:]) == sorted(
            str(b.id) for b in Ballot.objects.all()
        )
        assert sum(1 for r in rows[1:] if r[rows[0].index("JS 技术进步处")] == "优秀") == 3
        orders.add(tuple(r[0] for r in rows[1:]))
    assert len(orders) > 1  # 10! orders: three equal shuffles would be a broken shuffle


def test_the_rounds_page_lists_rounds_without_open_counts(world: Any) -> None:
    open_round(world)
    closed = open_round(world, kind="leader", groups=[("委领导", 1)])
    actions.round_close(by=world.office, round=closed)
    page = world.client(world.office).get("/ballots/2016/rounds/").content.decode()
    assert "民主测评" in page and "领导评价" in page and "进行中：见投票情况" in page


def test_a_round_imported_closed_shows_its_tally(world: Any) -> None:
    round = Round.objects.create(
        year=world.year, kind="leader", period="year", status=RoundStatus.CLOSED
    )
    Ballot.objects.create(round=round, grades={"JS": "good", "BG": "fair"})
    page = world.client(world.office).get(f"/ballots/rounds/{round.pk}/").content.decode()
    assert "8.00" in page and "6.00" in page


def test_issuing_a_group_of_another_round_is_not_found(world: Any) -> None:
    round = open_round(world)
    other = open_round(world, kind="leader", groups=[("委领导", 1)])
    client = world.client(world.office)
    group = other.groups.get()
    assert client.post(f"/ballots/rounds/{round.pk}/issue/", {"group": group.pk}).status_code == 404
    assert client.post(f"/ballots/rounds/{round.pk}/issue/", {"group": "x"}).status_code == 404
    assert not BallotCode.objects.exists()


def test_the_export_lists_no_ballot_of_a_group_with_fewer_than_three_ballots(world: Any) -> None:
    groups = [("中层正职", 4), ("委领导", 1), ("中层副职", 2)]
    round = open_round(world, groups=groups)
    codes = issue(world, round)
    for group, _size in groups:
        for code in codes[group]:
            post_ballot(Client(), round, {"JS": "excellent", "XX": "poor"}, code)
    actions.round_close(by=world.office, round=round)
    small = {str(b.id) for b in Ballot.objects.exclude(group="中层正职")}
    response = world.client(world.office).post(f"/ballots/rounds/{round.pk}/export/")
    book = load_workbook(io.BytesIO(response.content))
    ballots, note = book.worksheets
    rows = list(ballots.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["中层正职"] * 4
    cells = {
        str(v) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True) for v in r
    }
    assert not small & cells  # no ballot id of a small group, anywhere in the file
    text = " ".join(cells)
    assert "委领导：1" in text and "中层副职：2" in text and "少于 3" in text
    event = AuditEvent.objects.get(action="round_ballots_export")
    assert event.after["ballots"] == 4 and event.after["withheld"] == {"委领导": 1, "中层副职": 2}
    page = world.client(world.office).get(f"/ballots/rounds/{round.pk}/").content.decode()
    assert "少于 3" in page
