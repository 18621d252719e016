"""The ledger's workflows through its action functions: record, submit, review, decide, void, object."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.ledger import actions
from kaohe.ledger.models import EntryStatus, ObjectionStatus
from kaohe.results.bundle import year_results
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def record(w: World, rule: str = "1.report_missed", **kw):  # type: ignore[no-untyped-def]
    fields = {"period": "H1", "count": 1} | kw
    return actions.entry_record(
        by=w.clerk_zh, year=w.year, department=w.js, rule_id=rule, office="ZH", **fields
    )


def test_recorded_entry_counts_only_once_confirmed(world: World) -> None:
    # given a clerk of 综合处 records two missed reports against JS
    entry = record(world, count=2)
    assert entry.status == EntryStatus.DRAFT
    assert year_results(world.year).get("JS").categories["business"] == 20
    # when it is submitted and confirmed
    actions.entry_submit(by=world.clerk_zh, entry=entry)
    actions.entry_confirm(by=world.office, entry=entry)
    # then 0.4 is deducted from 业务工作
    assert year_results(world.year).get("JS").categories["business"] == Decimal("19.6")


def test_a_clerk_cannot_use_another_offices_rule(world: World) -> None:
    # 4.study_absence belongs to 组织人事处 and 机关党委, not 综合处
    with pytest.raises(PermissionDenied):
        actions.entry_record(
            by=world.clerk_zh,
            year=world.year,
            department=world.js,
            rule_id="4.study_absence",
            office="ZH",
            period="H1",
            count=1,
        )
    with pytest.raises(PermissionDenied):
        actions.entry_record(
            by=world.clerk_zh,
            year=world.year,
            department=world.js,
            rule_id="4.study_absence",
            office="RS",
            period="H1",
            count=1,
        )


def test_returned_entry_goes_back_to_its_clerk_with_the_reason(world: World) -> None:
    entry = record(world, submit=True)
    with pytest.raises(ValidationError):
        actions.entry_return(by=world.office, entry=entry, reason="  ")
    entry = actions.entry_return(by=world.office, entry=entry, reason="证据不足")
    assert (entry.status, entry.status_reason) == (EntryStatus.RETURNED, "证据不足")
    entry = actions.entry_update(
        by=world.clerk_zh, entry=entry, period="H2", count=1, description="补充说明", submit=True
    )
    assert entry.status == EntryStatus.SUBMITTED


def test_only_the_assessment_office_reviews(world: World) -> None:
    entry = record(world, submit=True)
    for user in (world.clerk_zh, world.head_js, world.leader, world.party):
        with pytest.raises(PermissionDenied):
            actions.entry_confirm(by=user, entry=entry)


def test_range_entry_is_pending_until_decided_within_its_range(world: World) -> None:
    # given an unmet target (1–5 per item), submitted
    entry = record(world, "1.target_unmet", period="year", submit=True)
    with pytest.raises(ValidationError):
        actions.entry_confirm(by=world.office, entry=entry)
    assert year_results(world.year).get("JS").categories["business"] == 20
    # when the office tries 7, then decides 2.5 at a meeting
    with pytest.raises(ValidationError) as exc:
        actions.entry_decide(
            by=world.office,
            entry=entry,
            amount=Decimal("7"),
            method="collective",
            meeting="考核办第3次会议",
        )
    assert "amount" in exc.value.message_dict
    entry = actions.entry_decide(
        by=world.office,
        entry=entry,
        amount=Decimal("2.5"),
        method="collective",
        meeting="考核办第3次会议",
    )
    # then it is confirmed and counts
    assert entry.status == EntryStatus.CONFIRMED
    assert year_results(world.year).get("JS").categories["business"] == Decimal("17.5")


def test_once_a_year_rule_cannot_be_recorded_twice(world: World) -> None:
    record(world, "2.topic_unmet", period="year")
    with pytest.raises(ValidationError):
        record(world, "2.topic_unmet", period="H2")
    with pytest.raises(ValidationError):
        record(world, "2.research_unmet", period="year", count=2)


def test_shortfall_entry_needs_a_half_year_and_the_actual_count(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        record(world, "3.info_shortfall", period="year", actual=None)
    assert {"period", "actual"} <= set(exc.value.message_dict)
    entry = record(world, "3.info_shortfall", period="H1", actual=4, submit=True)
    actions.entry_confirm(by=world.office, entry=entry)
    # a service department's quota is 6: two missing, 0.4 off
    assert year_results(world.year).get("JS").categories["business"] == Decimal("19.6")


def test_void_keeps_the_entry_with_its_reason(world: World) -> None:
    entry = record(world, submit=True)
    actions.entry_confirm(by=world.office, entry=entry)
    entry = actions.entry_void(by=world.office, entry=entry, reason="重复录入")
    assert entry.status == EntryStatus.VOIDED
    assert year_results(world.year).get("JS").categories["business"] == 20


def test_objection_upheld_voids_the_entry_and_the_department_sees_it(world: World) -> None:
    entry = record(world, submit=True)
    actions.entry_confirm(by=world.office, entry=entry)
    with pytest.raises(PermissionDenied):
        actions.objection_raise(by=world.head_xx, entry=entry, reason="不是我们")
    objection = actions.objection_raise(by=world.head_js, entry=entry, reason="已按时报送")
    with pytest.raises(ValidationError, match="已有一项待处理的异议"):
        actions.objection_raise(by=world.head_js, entry=entry, reason="再次异议")
    objection = actions.objection_resolve(
        by=world.office, objection=objection, uphold=True, resolution="核实已报送"
    )
    entry.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert entry.status == EntryStatus.VOIDED


def test_objection_upheld_with_a_correction_changes_the_count(world: World) -> None:
    entry = record(world, count=3, submit=True)
    actions.entry_confirm(by=world.office, entry=entry)
    objection = actions.objection_raise(by=world.head_js, entry=entry, reason="只少报一次")
    actions.objection_resolve(
        by=world.office, objection=objection, uphold=True, resolution="核实为1次", corrected_count=1
    )
    assert year_results(world.year).get("JS").categories["business"] == Decimal("19.8")


def test_objection_rejected_keeps_the_entry(world: World) -> None:
    entry = record(world, submit=True)
    actions.entry_confirm(by=world.office, entry=entry)
    objection = actions.objection_raise(by=world.head_js, entry=entry, reason="有异议")
    with pytest.raises(ValidationError):
        actions.objection_resolve(by=world.office, objection=objection, uphold=False, resolution="")
    actions.objection_resolve(
        by=world.office, objection=objection, uphold=False, resolution="经核实无误"
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CONFIRMED


def test_every_write_is_audited_with_before_and_after(world: World) -> None:
    entry = record(world, submit=True)
    actions.entry_return(by=world.office, entry=entry, reason="补充证据")
    events = list(
        AuditEvent.objects.filter(target_type="entry", target_id=str(entry.pk)).order_by("id")
    )
    assert [e.action for e in events] == ["entry_record", "entry_return"]
    assert events[1].actor == world.office
    assert events[1].before["status"] == "submitted"
    assert events[1].after["status"] == "returned"
    assert events[1].after["reason"] == "补充证据"
