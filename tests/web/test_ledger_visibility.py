"""Who sees an entry in which state (issue 10, points 7 and 8): drafts, entries under review."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from kaohe.access import ledger as ledger_access
from kaohe.ledger import actions
from kaohe.ledger.models import Entry
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def record(w: World, *, submit: bool, **kw: Any) -> Entry:
    fields = {"period": "H1", "count": 1, "department": w.js} | kw
    return actions.entry_record(
        by=w.clerk_zh, year=w.year, rule_id="1.report_missed", office="ZH", submit=submit, **fields
    )


def refs_in_export(w: World, user: Any) -> list[str]:
    response = w.client(user).get("/ledger/2016/ledger.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_draft_is_seen_by_its_office_alone(world: World) -> None:
    # given a draft of 综合处
    draft = record(world, submit=False)
    # then leaders, the party group and the assessment office neither list nor download it
    for user in (world.leader, world.party, world.office):
        assert not ledger_access.visible_entries(user, world.year).filter(pk=draft.pk).exists()
        assert draft.ref not in refs_in_export(world, user)
        assert world.client(user).get(f"/ledger/entries/{draft.pk}/").status_code == 404
    # and its office does
    assert refs_in_export(world, world.clerk_zh) == [draft.ref]


def test_a_submitted_entry_reaches_the_assessment_office(world: World) -> None:
    entry = record(world, submit=True)
    assert entry.ref in refs_in_export(world, world.office)


def test_departments_and_leaders_see_confirmed_entries_and_a_count_of_the_others(
    world: World,
) -> None:
    # given one confirmed entry and two under review against JS, one against XX
    settled = actions.entry_confirm(by=world.office, entry=record(world, submit=True))
    record(world, submit=True, period="H2")
    actions.entry_return(by=world.office, entry=record(world, submit=True, count=2), reason="补")
    record(world, submit=True, department=world.xx)
    record(world, submit=False, department=world.xx, period="H2")  # a draft is not counted
    # then the head and the leader list only the confirmed entry
    for user, pending in ((world.head_js, 2), (world.leader, 3)):
        assert refs_in_export(world, user) == [settled.ref]
        page = world.client(user).get("/ledger/2016/entries/").content.decode()
        assert "共 1 条记录" in page
        assert f"另有 {pending} 条记录正在审核" in page
    # and those who see entries under review are not told a count
    page = world.client(world.office).get("/ledger/2016/entries/").content.decode()
    assert "正在审核" not in page


def test_objections_are_raised_on_confirmed_entries_only(world: World) -> None:
    submitted = record(world, submit=True)
    assert not ledger_access.may_object(world.head_js, submitted)
    with pytest.raises(PermissionDenied):
        actions.objection_raise(by=world.head_js, entry=submitted, reason="不服")
    confirmed = actions.entry_confirm(by=world.office, entry=submitted)
    assert ledger_access.may_object(world.head_js, confirmed)
