"""A paper form's short code (issue 12.2): typed by the office within one round, never stored in
clear, printed on the form; the phone page keeps the full code only."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from kaohe.ballots import actions
from kaohe.ballots.models import Ballot, BallotCode, PaperEntry, PaperScan
from kaohe.ballots.paper.printing import forms_pdf
from kaohe.core.codes import SHORT_LENGTH, short_code_digest, short_code_display
from tests.web.ballots_support import open_round, post_ballot
from tests.web.factories import RoleFactory

pytestmark = pytest.mark.django_db


def paper(world: Any, round: Any) -> list[Any]:
    """The round's codes issued as paper forms, in number order."""
    return actions.codes_issue(by=world.office, round=round, paper=True)


def keyed(round: Any, code: str, key: str) -> dict[str, str]:
    """A posted entry: the code and the same key for every department."""
    return {"code": code} | {"k:" + d["code"]: key for d in round.departments}


def test_paper_forms_get_a_ten_character_short_code_and_slips_none(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 3)])
    forms = paper(world, round)
    assert all(len(f.short) == SHORT_LENGTH for f in forms)
    assert len({f.short for f in forms}) == 3
    slips = actions.codes_issue(by=world.office, round=open_round(world, kind="leader"))
    assert all(s.short == "" for s in slips)
    assert BallotCode.objects.filter(short_digest=None).count() == len(slips)


def test_a_short_code_entered_by_two_clerks_makes_one_ballot(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 2)])
    [form, _other] = paper(world, round)
    second = RoleFactory(kind="assessment_office").user
    url = f"/ballots/rounds/{round.pk}/paper/"
    typed = short_code_display(form.short)  # as printed: ABCDE-FGHJK
    assert world.client(world.office).post(url, keyed(round, typed, "2")).status_code == 302
    assert PaperEntry.objects.count() == 1 and not Ballot.objects.exists()
    sloppy = form.short.lower().replace("0", "o").replace("1", "l")  # mistypes are forgiven
    assert world.client(second).post(url, keyed(round, sloppy, "2")).status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.grades == {d["code"]: round.grades[1]["code"] for d in round.departments}
    assert not PaperEntry.objects.exists()
    # The same form's full code now finds it used: still one ballot.
    post_ballot(Client(), round, {}, form.code)
    assert Ballot.objects.count() == 1


def test_a_short_code_of_another_round_is_not_found(world: Any) -> None:
    here = open_round(world, groups=[("委领导", 1)])
    there = open_round(world, kind="leader", groups=[("委领导", 1)])
    paper(world, here)
    [theirs] = paper(world, there)
    grades = {here.departments[0]["code"]: here.grades[0]["code"]}
    with pytest.raises(ValidationError) as refused:
        actions.paper_entry_record(by=world.office, round=here, code=theirs.short, grades=grades)
    assert refused.value.error_list[0].code == "code"
    assert not PaperEntry.objects.exists()
    response = world.client(world.office).post(
        f"/ballots/rounds/{here.pk}/paper/", keyed(here, theirs.short, "1")
    )
    assert response.status_code == 400 and "不是本轮测评的有效测评码" in response.content.decode()
    assert not PaperEntry.objects.exists() and not Ballot.objects.exists()


def test_the_same_short_code_in_two_rounds_has_two_hashes() -> None:
    short = "7KQ2M9XD4B"
    assert short_code_digest(1, short) != short_code_digest(2, short)


def test_the_short_code_is_not_stored_in_clear(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 2)])
    forms = paper(world, round)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ballots_ballotcode")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row).upper()
    for f in forms:
        assert f.short not in stored and short_code_display(f.short) not in stored
        assert f.code not in stored
        row = BallotCode.objects.get(number=f.number)
        assert row.short_digest == short_code_digest(round.pk, f.short)


def test_the_phone_page_takes_the_full_code_only(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [form] = paper(world, round)
    post_ballot(Client(), round, {}, form.short)
    assert not Ballot.objects.exists()
    assert not round.codes.filter(used=True).exists()


def test_a_kept_scan_is_decided_with_the_short_code(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [form] = paper(world, round)
    kept = PaperScan.objects.create(round=round, code=None, image=b"", reading={})
    grades = {round.departments[0]["code"]: round.grades[0]["code"]}
    actions.scan_decide(
        by=world.office, scan=kept, code=short_code_display(form.short), grades=grades
    )
    assert Ballot.objects.get().grades == grades
    assert not PaperScan.objects.exists()


def test_the_printed_form_shows_the_short_code(world: Any, tmp_path: Path) -> None:
    round = open_round(world, groups=[("委领导", 2)])
    forms = paper(world, round)
    pdf = tmp_path / "forms.pdf"
    pdf.write_bytes(forms_pdf(round, forms, "https://kaohe.example.cn/v/"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for f in forms:
        assert short_code_display(f.short) in text
        assert f.code[:8] not in text.replace("-", "")  # the full code is in the QR code only


def test_a_dispute_is_decided_with_the_short_code(world: Any) -> None:
    round = open_round(world, groups=[("委领导", 1)])
    [form] = paper(world, round)
    second, third = (RoleFactory(kind="assessment_office").user for _ in range(2))
    d, scale = round.departments[0]["code"], [g["code"] for g in round.grades]
    actions.paper_entry_record(by=world.office, round=round, code=form.short, grades={d: scale[0]})
    actions.paper_entry_record(by=second, round=round, code=form.short, grades={d: scale[1]})
    disputed = PaperEntry.objects.get()
    actions.paper_entry_decide(by=third, entry=disputed, code=form.short, grades={d: scale[1]})
    assert Ballot.objects.get().grades == {d: scale[1]}
