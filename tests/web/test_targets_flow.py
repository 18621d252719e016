"""Annual targets through their approvals, their reports, and the entries proposed from what is
missing (issue 11, parts 1 and 2), through the actions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaohe.audit.models import AuditEvent
from kaohe.ledger.models import Entry
from kaohe.org.models import Department
from kaohe.targets import actions, selectors
from kaohe.targets.models import Proposal, SupervisionPeriod, Target, TargetReview, TargetStatus
from tests.web.conftest import World

FIELDS = actions.TargetFields(
    content="完成企业技术改造投资120亿元",
    measure="统计局年报数据",
    due=datetime.date(2016, 12, 31),
    source="task_book",
    in_supervision=True,
    responsible="张三",
)


def supervised(w: World) -> None:
    Department.objects.filter(pk=w.js.pk).update(supervising_leader=w.leader)
    w.js.refresh_from_db()


def approved_target(w: World, fields: actions.TargetFields = FIELDS) -> Target:
    """A JS target through every step: drafted, submitted, passed, compiled, approved."""
    supervised(w)
    t = actions.target_draft(by=w.liaison_js, year=w.year, department=w.js, fields=fields)
    actions.target_submit(by=w.head_js, target=t)
    actions.target_review(by=w.leader, target=t, approve=True, comment="同意")
    actions.targets_compile(by=w.office, year=w.year)
    actions.targets_approve(
        by=w.office,
        year=w.year,
        meeting="考核领导小组2016年第1次会议",
        meeting_date=datetime.date(2016, 1, 28),
        document_no="常经信考〔2016〕1号",
    )
    t.refresh_from_db()
    return t


def test_a_target_goes_from_draft_to_approved_and_locked(world: World) -> None:
    t = approved_target(world)
    assert t.status == TargetStatus.APPROVED
    version = t.versions.get()
    assert (version.document_no, version.meeting_date) == (
        "常经信考〔2016〕1号",
        datetime.date(2016, 1, 28),
    )
    steps = list(TargetReview.objects.filter(target=t).values_list("step", flat=True))
    assert steps == ["submit", "approve", "compile", "leading_group"]
    # locked: the department no longer edits it; only a revision with a reason changes it
    with pytest.raises(PermissionDenied):
        actions.target_update(by=world.head_js, target=t, fields=FIELDS)
    actions_logged = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "target_draft",
        "target_submit",
        "target_review",
        "targets_compile",
        "targets_approve",
    } <= actions_logged


def test_the_supervising_leader_alone_reviews_and_a_return_needs_comments(world: World) -> None:
    supervised(world)
    t = actions.target_draft(
        by=world.head_js, year=world.year, department=world.js, fields=FIELDS, submit=True
    )
    for other in (world.office, world.head_js, world.party, world.clerk_zh):
        with pytest.raises(PermissionDenied):
            actions.target_review(by=other, target=t, approve=True, comment="")
    with pytest.raises(ValidationError):
        actions.target_review(by=world.leader, target=t, approve=False, comment=" ")
    actions.target_review(by=world.leader, target=t, approve=False, comment="量化指标不足")
    t.refresh_from_db()
    assert (t.status, t.comment) == (TargetStatus.RETURNED, "量化指标不足")
    # returned: the department changes it and submits it again
    actions.target_update(by=world.liaison_js, target=t, fields=FIELDS)
    actions.target_submit(by=world.liaison_js, target=t)


def test_another_department_drafts_nothing_and_bad_input_changes_nothing(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.target_draft(by=world.head_xx, year=world.year, department=world.js, fields=FIELDS)
    bad = actions.TargetFields("", "x" * 5000, datetime.date(2030, 1, 1), "nope", False, "")
    with pytest.raises(ValidationError) as caught:
        actions.target_draft(by=world.head_js, year=world.year, department=world.js, fields=bad)
    assert set(caught.value.message_dict) == {"content", "measure", "due", "source", "responsible"}
    assert not Target.objects.exists()


def test_a_department_without_a_supervising_leader_is_told_so_on_submitting(world: World) -> None:
    t = actions.target_draft(by=world.head_js, year=world.year, department=world.js, fields=FIELDS)
    with pytest.raises(ValidationError):
        actions.target_submit(by=world.head_js, target=t)


def test_a_revision_goes_through_the_same_approvals_and_the_history_keeps_every_version(
    world: World,
) -> None:
    t = approved_target(world)
    with pytest.raises(ValidationError):
        actions.target_revise(by=world.head_js, target=t, fields=FIELDS, reason="")
    changed = actions.TargetFields(**{**FIELDS.__dict__, "content": "完成技改投资100亿元"})
    actions.target_revise(by=world.head_js, target=t, fields=changed, reason="市里调整任务")
    t.refresh_from_db()
    assert (t.status, t.revision) == (TargetStatus.DRAFT, 1)
    # the approved version stays in force meanwhile
    assert selectors.in_force(t).content == FIELDS.content
    actions.target_submit(by=world.head_js, target=t)
    actions.target_review(by=world.leader, target=t, approve=True, comment="")
    actions.targets_compile(by=world.office, year=world.year)
    actions.targets_approve(
        by=world.office,
        year=world.year,
        meeting="第2次会议",
        meeting_date=datetime.date(2016, 6, 1),
        document_no="常经信考〔2016〕5号",
    )
    versions = list(t.versions.values_list("revision", "content", "reason"))
    assert versions == [(1, "完成技改投资100亿元", "市里调整任务"), (0, FIELDS.content, "")]


def test_visibility_office_all_leader_supervised_department_own(world: World) -> None:
    from kaohe.access import targets as access

    t = approved_target(world)
    assert list(access.visible_targets(world.office, world.year)) == [t]
    assert list(access.visible_targets(world.leader, world.year)) == [t]
    assert list(access.visible_targets(world.liaison_js, world.year)) == [t]
    for user in (world.head_xx, world.clerk_zh, world.party, world.sysadmin, world.outsider):
        assert not access.visible_targets(user, world.year).exists()


def test_missing_reports_are_proposed_once_after_their_deadline(world: World) -> None:
    t = approved_target(world)
    actions.supervision_periods_set(by=world.office, year=world.year)
    march = SupervisionPeriod.objects.get(year=world.year, key="2016-03")
    actions.supervision_reports_record(
        by=world.office,
        year=world.year,
        reports=[actions.OnlineReport(t, march, datetime.date(2016, 3, 30))],
    )
    # 20 July: the half-year report (due 15 July) and the supervision reports of January,
    # February, April, May, June are missing (March was made, July is not yet due)
    asof = datetime.date(2016, 7, 20)
    keys = sorted(m.key for m in selectors.missing_reports(world.year, asof))
    assert keys == ["H1", "sup:2016-01", "sup:2016-02", "sup:2016-04", "sup:2016-05", "sup:2016-06"]
    made = actions.proposals_make(by=None, year=world.year, asof=asof)
    assert len(made) == 6
    entries = Entry.objects.filter(proposal__isnull=False)
    assert {(e.rule_id, e.status, e.office, e.department.code) for e in entries} == {
        ("1.report_missed", "draft", "ZH", "JS")
    }
    assert "2016-04" in entries.get(proposal__key="sup:2016-04").description
    # twice: nothing new
    assert actions.proposals_make(by=world.clerk_zh, year=world.year, asof=asof) == []
    assert Entry.objects.count() == 6
    # not the department's, not another clerk's
    for other in (world.head_js, world.clerk_rs, world.leader):
        with pytest.raises(PermissionDenied):
            actions.proposals_make(by=other, year=world.year, asof=asof)


def test_a_report_in_time_proposes_nothing_and_the_clerk_submits_or_discards(world: World) -> None:
    fields = actions.TargetFields(**{**FIELDS.__dict__, "in_supervision": False})
    t = approved_target(world, fields)
    with pytest.raises(PermissionDenied):
        actions.report_submit(
            by=world.head_xx, target=t, period="H1", status="on_schedule", done="x"
        )
    with pytest.raises(ValidationError):
        actions.report_submit(by=world.head_js, target=t, period="H1", status="bad", done="")
    actions.report_submit(
        by=world.liaison_js, target=t, period="H1", status="on_schedule", done="完成60%"
    )
    assert selectors.missing_reports(world.year, datetime.date(2016, 12, 1)) == []
    # the year-end report is missing after 10 January: proposed report_missed and target_unmet
    made = actions.proposals_make(by=world.office, year=world.year, asof=datetime.date(2017, 1, 11))
    assert sorted(p.rule_id for p in made) == ["1.report_missed", "1.target_unmet"]
    missed, unmet = sorted(made, key=lambda p: p.rule_id)
    assert (unmet.entry.count, unmet.entry.amount, unmet.target) == (1, None, t)
    with pytest.raises(PermissionDenied):
        actions.proposal_handle(by=world.clerk_rs, proposal=missed, accept=True)
    actions.proposal_handle(by=world.clerk_zh, proposal=missed, accept=True)
    assert Entry.objects.get(pk=missed.entry_id).status == "submitted"
    with pytest.raises(ValidationError):
        actions.proposal_handle(by=world.clerk_zh, proposal=unmet, accept=False, reason="")
    actions.proposal_handle(
        by=world.clerk_zh, proposal=unmet, accept=False, reason="已完成，数据滞后"
    )
    assert Entry.objects.get(pk=unmet.entry_id).status == "voided"
    # discarded stays discarded: running the check again proposes nothing
    assert (
        actions.proposals_make(by=world.office, year=world.year, asof=datetime.date(2017, 2, 1))
        == []
    )
    assert Proposal.objects.get(pk=unmet.pk).state == "discarded"


def test_a_done_year_end_report_is_not_unmet(world: World) -> None:
    t = approved_target(world, actions.TargetFields(**{**FIELDS.__dict__, "in_supervision": False}))
    for period in ("H1", "year"):
        actions.report_submit(by=world.head_js, target=t, period=period, status="done", done="完成")
    assert actions.proposals_make(by=None, year=world.year, asof=datetime.date(2017, 3, 1)) == []


def test_the_command_proposes_once_with_a_frozen_date(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    approved_target(world)
    out = StringIO()
    call_command("targets", "propose", "--year", "2016", "--asof", "2016-07-16", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 proposed as of 2016-07-16"
    again = StringIO()
    call_command("targets", "propose", "--year", "2016", "--asof", "2016-07-16", stdout=again)
    assert again.getvalue().strip() == "0 proposed as of 2016-07-16"
    assert Proposal.objects.get().key == "H1"
