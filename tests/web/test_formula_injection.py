"""User text in every workbook is text, never a formula (OWASP CSV injection, issue 9 §2).

Each export is written with the payloads typed where users type: descriptions, same-work keys,
persons, void reasons, department names, voter group names, adjustment reasons, veto notes. The
written file is opened again with openpyxl: every such cell holds the text as typed, with the
string data type, and the only formulas are the workbook's own.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from kaohe.assessment.bundle_io import year_import
from kaohe.ballots.models import Ballot, Round, RoundStatus
from kaohe.demo import demo_bundle_document
from kaohe.engine import parse_bundle
from kaohe.ledger import actions
from kaohe.org.models import Person
from tests.web.conftest import World
from tests.web.results_support import (
    Demo,
    needs_soffice,
    publish,
    soffice_convert,
)

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example/","详情")', "=cmd|' /C calc'!A0", "=1+1"]
# Excel's error words: openpyxl would write them as error cells.
MORE = ["#N/A"]


def cells_with(wb: Workbook, text: str) -> list[Any]:
    """Every cell of the workbook whose value is or contains `text`."""
    return [
        cell
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and text in cell.value
    ]


def assert_text_only(wb: Workbook, payloads: list[str], at_least: int) -> None:
    """Each payload is in at least `at_least` cells, all of them strings; no formula has it."""
    for payload in payloads:
        found = cells_with(wb, payload)
        assert len(found) >= at_least, (payload, len(found))
        assert {c.data_type for c in found} == {"s"}, [(c.coordinate, c.data_type) for c in found]
    formulas = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    for cell in formulas:
        assert not any(p in str(cell.value) for p in payloads), (cell.coordinate, cell.value)


# --- the ledger as Excel ---------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS + MORE)
def test_the_ledger_workbook_writes_typed_text_as_text(world: World, payload: str) -> None:
    # given a department name, a description, a same-work key, a person and a void reason
    world.js.name = payload
    world.js.save()
    person = Person.objects.create(department=world.js, name=payload)
    bonus = actions.entry_record(
        by=world.clerk_zh,
        year=world.year,
        department=world.js,
        rule_id="2.paper_national",
        office="ZH",
        period="H1",
        count=1,
        same_work=payload,
        description=payload,
        submit=True,  # the assessment office sees no drafts
    )
    absence = actions.entry_record(
        by=world.clerk_rs,
        year=world.year,
        department=world.js,
        rule_id="5.training_absence",
        office="RS",
        period="H1",
        count=1,
        persons=[person],
        description="培训缺席",
        submit=True,
    )
    actions.entry_void(by=world.office, entry=absence, reason=payload)
    assert bonus.pk
    # when the ledger is downloaded
    response = world.client(world.office).get("/ledger/2016/ledger.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    # then department name (2 rows), description, same-work key, person and reason are text
    assert_text_only(wb, [payload], at_least=6)


# --- the batch template ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_batch_template_writes_department_names_as_text(world: World, payload: str) -> None:
    world.js.name = payload
    world.js.save()
    response = world.client(world.clerk_zh).get("/ledger/2016/batch/template.xlsx?office=ZH")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert_text_only(wb, [payload], at_least=1)


# --- a round's ballots ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS + MORE)
def test_the_ballot_export_writes_group_and_department_names_as_text(
    world: World, payload: str
) -> None:
    world.js.name = payload
    world.js.save()
    found = Round.objects.create(
        year=world.year, kind="democratic", period="year", status=RoundStatus.CLOSED
    )
    for _ in range(3):  # a group of fewer would not be listed ballot by ballot
        Ballot.objects.create(round=found, group=payload, grades={"JS": "good"})
    Ballot.objects.create(round=found, group=payload + "小", grades={"JS": "good"})
    response = world.client(world.office).post(f"/ballots/rounds/{found.pk}/export/")
    wb = load_workbook(io.BytesIO(response.content))
    # the header "JS <name>", the group on its three rows, and the small group in the note
    assert_text_only(wb, [payload], at_least=5)


# --- the results workbook --------------------------------------------------------------------


def _year_with_payloads() -> Demo:
    """The demo year with payloads in names, descriptions, reasons, meetings and notes."""
    doc = demo_bundle_document()
    doc["departments"][0]["name"] = PAYLOADS[0]
    doc["entries"][0]["description"] = PAYLOADS[1]
    for adjustment in doc["adjustments"]:
        adjustment["reason"] = PAYLOADS[2]
        adjustment["meeting"] = PAYLOADS[1]
    for veto in doc["vetoes"]:
        veto["note"] = PAYLOADS[2]
    entry_department = doc["entries"][0]["department"]
    assert entry_department and doc["adjustments"] and doc["vetoes"]
    return Demo(year_import(by=None, bundle=parse_bundle(doc)))


@pytest.fixture
def payload_demo(db: None) -> Demo:
    return _year_with_payloads()


def _workbook(demo: Demo) -> bytes:
    publish(demo.year, by=demo.party, notice_number="常经信党〔2017〕3号")
    response = demo.client(demo.office).get("/results/2016/versions/1/results.xlsx")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_results_workbook_writes_user_text_as_text_and_keeps_its_formulas(
    payload_demo: Demo,
) -> None:
    wb = load_workbook(io.BytesIO(_workbook(payload_demo)))
    # the department's name is on all five sheets; descriptions, reasons, notes on theirs
    assert_text_only(wb, PAYLOADS, at_least=2)
    assert len(cells_with(wb, PAYLOADS[0])) >= 5
    summary = wb["汇总排名"]
    assert summary["G2"].data_type == "f" and summary["G2"].value == "=D2+E2+F2"


@needs_soffice
def test_libreoffice_recomputing_the_results_workbook_keeps_user_text_as_text(
    payload_demo: Demo, tmp_path: Path
) -> None:
    source = tmp_path / "results.xlsx"
    source.write_bytes(_workbook(payload_demo))
    computed = load_workbook(
        soffice_convert(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "out"), data_only=True
    )
    # every payload is still the text typed (a formula would have been computed to its value)
    for payload in PAYLOADS:
        found = cells_with(computed, payload)
        assert found and {c.data_type for c in found} == {"s"}, payload
    # and the workbook's own formulas were computed to numbers
    assert isinstance(computed["汇总排名"]["G2"].value, int | float)
