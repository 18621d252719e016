"""Paper ballot forms (issue 12.2): printing them, and entering them twice by hand."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from kaohe.audit.models import AuditEvent
from kaohe.ballots import actions
from kaohe.ballots.actions import EntryOutcome
from kaohe.ballots.models import Ballot, PaperEntry, PaperEntryStatus
from kaohe.ballots.paper import layout as paper_layout
from kaohe.ballots.paper.printing import forms_pdf, round_layout
from kaohe.core.codes import code_display
from tests.web.ballots_support import issue, open_round, post_ballot
from tests.web.factories import RoleFactory

pytestmark = pytest.mark.django_db


def office_member() -> Any:
    """Another member of the assessment office (double entry needs two, a dispute three)."""
    return RoleFactory(kind="assessment_office").user


def keyed(round: Any, code: str, keys: str) -> dict[str, str]:
    """The posted entry: the code and one key per department, in the round's order."""
    data = {"code": code}
    for d, key in zip(round.departments, keys, strict=True):
        data["k:" + d["code"]] = key
    return data


def grades_of(round: Any, keys: str) -> dict[str, str]:
    scale = [g["code"] for g in round.grades]
    return {
        d["code"]: scale[int(k) - 1]
        for d, k in zip(round.departments, keys, strict=True)
        if k != "0"
    }


def raster(pdf: bytes, tmp_path: Path, dpi: int = 40) -> list[np.ndarray]:
    """The PDF's pages as grey images (pdftoppm), one array per page."""
    source = tmp_path / "forms.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", str(source), str(tmp_path / "p")], check=True
    )
    pages = []
    for path in sorted(tmp_path.glob("p-*.pgm")):
        data = path.read_bytes()
        header = data.split(b"\n", 3)
        width, height = (int(v) for v in header[1].split())
        pages.append(np.frombuffer(header[3], dtype=np.uint8).reshape(height, width))
    return pages


def at(page: np.ndarray, x_mm: float, y_mm: float) -> int:
    """The grey level at a point given in mm from the page's top-left corner."""
    h, w = page.shape
    return int(page[int(y_mm / paper_layout.PAGE_H * h), int(x_mm / paper_layout.PAGE_W * w)])


# --- printing ---------------------------------------------------------------------------------


def test_issuing_as_paper_forms_prints_one_a4_page_per_code(world: Any, tmp_path: Path) -> None:
    round = open_round(world, groups=[("中层正职", 3)])
    response = world.client(world.office).post(f"/ballots/rounds/{round.pk}/issue/", {"paper": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]  # the only copy of the codes: never cached
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "Pages:           3" in info
    assert "595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for d in round.departments:
        assert d["name"] in text
    for g in round.grades:
        assert g["name"] in text
    assert "No. 0001" in text and "No. 0003" in text
    event = AuditEvent.objects.filter(action="round_codes_issue").get()
    assert event.after["printed"] == "forms"


def test_the_printed_form_puts_markers_and_boxes_where_the_layout_says(
    world: Any, tmp_path: Path
) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    codes = actions.codes_issue(by=world.office, round=round, paper=True)
    [page] = raster(forms_pdf(round, codes, "https://kaohe.example.cn/v/"), tmp_path, dpi=100)
    layout = round_layout(round)
    for marker in layout.markers:
        assert at(page, *marker.centre) < 60  # solid black
        assert at(page, marker.x - 3, marker.y - 3) > 200  # white around it
    for box in layout.boxes:
        assert at(page, *box.rect.centre) > 200  # an empty box is white inside
        edge = min(at(page, box.rect.x + dx, box.rect.centre[1]) for dx in (-0.3, 0, 0.2, 0.4))
        assert edge < 120  # and a dark edge where the layout puts it


def test_the_layout_keeps_every_box_inside_the_markers_and_apart() -> None:
    departments = [f"D{i}" for i in range(paper_layout.max_departments())]
    layout = paper_layout.form_layout(departments, ["a", "b", "c", "d"])
    tl, tr, br, bl = layout.markers
    rects = [b.rect for b in layout.boxes] + [layout.qr]
    for r in rects:
        assert tl.x + tl.w < r.x and r.x + r.w < tr.x
        assert tl.y + tl.h < r.y and r.y + r.h < bl.y
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart
    with pytest.raises(ValueError):
        paper_layout.form_layout([*departments, "one more"], ["a", "b", "c", "d"])


def test_a_specimen_form_cannot_vote(world: Any, tmp_path: Path) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    response = world.client(world.office).get(f"/ballots/rounds/{round.pk}/form.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "UUUUU-UUUUU" in text  # the specimen's short code: U is no code character
    assert not round.codes.exists()


# --- double entry -----------------------------------------------------------------------------


def test_two_clerks_who_agree_make_one_ballot_and_leave_no_entry(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 2)])
    [code, _other] = issue(world, round)["委领导"]
    second = office_member()
    keys = "120"[: len(round.departments)].ljust(len(round.departments), "3")
    first_page = world.client(world.office).post(
        f"/ballots/rounds/{round.pk}/paper/", keyed(round, code_display(code).lower(), keys)
    )
    assert first_page.status_code == 302
    assert not Ballot.objects.exists()
    assert PaperEntry.objects.get().status == PaperEntryStatus.WAITING
    world.client(second).post(f"/ballots/rounds/{round.pk}/paper/", keyed(round, code, keys))
    ballot = Ballot.objects.get()
    assert ballot.grades == grades_of(round, keys)
    assert ballot.group == "委领导"
    assert not PaperEntry.objects.exists()
    events = list(AuditEvent.objects.filter(action="paper_entry_record").order_by("id"))
    assert [e.after for e in events] == [
        {"entry": "first", "outcome": "waiting"},
        {"entry": "second", "outcome": "counted"},
    ]
    assert all(code not in str(e.after) and e.actor_id for e in events)


def test_the_same_clerk_cannot_enter_a_form_twice(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [code] = issue(world, round)["委领导"]
    keys = "1" * len(round.departments)
    client = world.client(world.office)
    client.post(f"/ballots/rounds/{round.pk}/paper/", keyed(round, code, keys))
    again = client.post(f"/ballots/rounds/{round.pk}/paper/", keyed(round, code, keys))
    assert again.status_code == 400
    assert "另一" in again.content.decode()
    assert not Ballot.objects.exists()
    assert PaperEntry.objects.get().second_by is None


def test_a_disagreement_goes_to_a_third_person_who_sees_both(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [code] = issue(world, round)["委领导"]
    n = len(round.departments)
    second, third = office_member(), office_member()
    actions.paper_entry_record(
        by=world.office, round=round, code=code, grades=grades_of(round, "1" * n)
    )
    outcome = actions.paper_entry_record(
        by=second, round=round, code=code, grades=grades_of(round, "2" + "1" * (n - 1))
    )
    assert outcome is EntryOutcome.DISPUTED
    assert not Ballot.objects.exists()
    entry = PaperEntry.objects.get()
    url = f"/ballots/rounds/{round.pk}/paper/disputes/{entry.pk}/"
    # Neither of the two who entered it may decide.
    assert world.client(world.office).get(url).status_code == 403
    assert world.client(second).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.paper_entry_decide(by=second, entry=entry, code=code, grades={})
    page = world.client(third).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "paper-differs" in html and html.count("paper-differs") == 1
    # The code typed must be this form's.
    wrong = world.client(third).post(url, keyed(round, "0" * 28, "2" + "1" * (n - 1)))
    assert wrong.status_code == 400
    assert not Ballot.objects.exists()
    decided = world.client(third).post(url, keyed(round, code, "3" + "1" * (n - 1)))
    assert decided.status_code == 302
    assert Ballot.objects.get().grades == grades_of(round, "3" + "1" * (n - 1))
    assert not PaperEntry.objects.exists()
    assert AuditEvent.objects.filter(action="paper_entry_decide", actor=third).get().after == {
        "outcome": "counted"
    }


def test_paper_and_phone_with_the_same_code_make_one_ballot(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 2)])
    [phone_first, paper_first] = issue(world, round)["委领导"]
    n = len(round.departments)
    second = office_member()
    grades = grades_of(round, "1" * n)
    # The phone votes first: both paper entries then find the code used.
    post_ballot(Client(), round, grades, phone_first)
    outcome = actions.paper_entry_record(
        by=world.office, round=round, code=phone_first, grades=grades
    )
    assert outcome is EntryOutcome.ALREADY_SUBMITTED
    # The paper counts first: the phone is then told the code has voted.
    actions.paper_entry_record(by=world.office, round=round, code=paper_first, grades=grades)
    assert (
        actions.paper_entry_record(by=second, round=round, code=paper_first, grades=grades)
        is EntryOutcome.COUNTED
    )
    post_ballot(Client(), round, grades_of(round, "2" * n), paper_first)
    assert Ballot.objects.count() == 2
    assert round.codes.filter(used=True).count() == 2
    assert not PaperEntry.objects.exists()


def test_a_bad_entry_is_refused_in_chinese_and_writes_nothing(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [code] = issue(world, round)["委领导"]
    n = len(round.departments)
    client = world.client(world.office)
    url = f"/ballots/rounds/{round.pk}/paper/"
    for data in (
        keyed(round, code, "9" * n),  # no such key
        keyed(round, code, "1" * (n - 1) + " "),  # a row left empty
        keyed(round, "ABC", "1" * n),  # not a code
        {**keyed(round, code, "1" * n), "k:ZZ": "1"},  # a department of no form
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "Traceback" not in response.content.decode()
    assert not PaperEntry.objects.exists() and not Ballot.objects.exists()
    assert not AuditEvent.objects.filter(action="paper_entry_record").exists()
    refused = client.post(url, keyed(round, code, "9" * n)).content.decode()
    assert "请" in refused
    assert f'value="{code}"' in refused  # the code typed is kept, to fix the keys and resend


def test_closing_the_round_deletes_its_unresolved_entries(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 2)])
    [a, b] = issue(world, round)["委领导"]
    n = len(round.departments)
    actions.paper_entry_record(
        by=world.office, round=round, code=a, grades=grades_of(round, "1" * n)
    )
    actions.paper_entry_record(
        by=office_member(), round=round, code=b, grades=grades_of(round, "0" * n)
    )
    post_ballot(Client(), round, grades_of(round, "1" * n), a)  # the phone votes, too
    post_ballot(Client(), round, {}, b)
    actions.round_close(by=world.office, round=round)
    assert not PaperEntry.objects.exists()
    assert AuditEvent.objects.get(action="round_close").after["paper_unresolved"] == 2
    assert world.client(world.office).get(f"/ballots/rounds/{round.pk}/paper/").status_code == 403


def test_entering_paper_is_the_offices_alone(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [code] = issue(world, round)["委领导"]
    with pytest.raises(PermissionDenied):
        actions.paper_entry_record(by=world.clerk_zh, round=round, code=code, grades={})
    with pytest.raises(ValidationError):
        actions.paper_entry_record(by=world.office, round=round, code="0" * 28, grades={})
