"""The half-year supervision circular (督查通报, issue 11.3): its content from a seeded year, the
number, drafting and publishing through the actions (audited), and immutability once published.
The printed files are checked in test_circular_exports.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kaohe.audit.models import AuditEvent
from kaohe.engine.numbers import fmt2
from kaohe.results import actions
from kaohe.results.circular import (
    circular_content,
    circular_document,
    circular_title,
    number_problems,
    numeral,
)
from kaohe.results.models import Circular, CircularDraft, PublishedVersionImmutable
from kaohe.results.selectors import live_year
from kaohe.targets import actions as target_actions
from kaohe.targets.models import Target
from tests.web.factories import add_entry
from tests.web.results_support import Demo, demo_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

JULY = datetime.date(2016, 7, 20)  # after the half-year reports were due (15 July)


@pytest.fixture(autouse=True)
def chinese() -> Any:
    with translation.override("zh-hans"):
        yield


def approved_js_target(demo: Demo, content: str = "完成重点工程") -> Target:
    """A JS target through every approval (its supervising leader, the office, the group)."""
    demo.js.supervising_leader = demo.leader
    demo.js.save()
    fields = target_actions.TargetFields(
        content, "标志", datetime.date(2016, 12, 31), "duties", False, "张三"
    )
    target = target_actions.target_draft(
        by=demo.head_js, year=demo.year, department=demo.js, fields=fields, submit=True
    )
    target_actions.target_review(by=demo.leader, target=target, approve=True, comment="")
    target_actions.targets_compile(by=demo.office, year=demo.year)
    target_actions.targets_approve(
        by=demo.office,
        year=demo.year,
        meeting="考核领导小组会议",
        meeting_date=datetime.date(2016, 1, 28),
        document_no="常经信考〔2016〕1号",
    )
    target.refresh_from_db()
    return target


def department(content: dict[str, Any], code: str) -> dict[str, Any]:
    return next(d for d in content["departments"] if d["code"] == code)


def text_of(content: dict[str, Any]) -> str:
    doc = circular_document(
        number="常经信考〔2016〕3号",
        title=circular_title(2016, content["half"]),
        date=JULY,
        preface="前言",
        conclusion="结束语",
        content=content,
        provisional=True,
    )
    return "\n".join(b.text for b in doc.blocks) + "\n".join(
        "".join(r) for b in doc.blocks for r in b.rows
    )


# --- the content ------------------------------------------------------------------------------


def test_the_ranking_is_the_engines_live_ranking_and_says_it_is_provisional(demo: Demo) -> None:
    content = circular_content(demo.year, "H1", JULY)
    results = live_year(demo.year).results
    assert [(r["rank"], r["code"], r["total"]) for r in content["ranking"]] == [
        (d.rank, d.code, fmt2(d.total)) for d in results.departments
    ]
    assert len(content["ranking"]) == 20
    doc = circular_document(
        number="常经信考〔2016〕3号",
        title=circular_title(2016, "H1"),
        date=JULY,
        preface="前言",
        conclusion="结束语",
        content=content,
        provisional=True,
    )
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.header[0] == "名次（暂定）"
    assert [r[0] for r in table.rows] == [str(d.rank) for d in results.departments]
    assert any("暂定排名" in b.text for b in doc.blocks if b.kind == "h1")
    assert any("以下排名为暂定排名" in b.text for b in doc.blocks)


def test_a_confirmed_deduction_counts_in_its_half_year_only(demo: Demo) -> None:
    before_h1 = department(circular_content(demo.year, "H1", JULY), "JS")["categories"]
    before_h2 = department(circular_content(demo.year, "H2", JULY), "JS")["categories"]
    add_entry(demo.year, demo.js, "1.report_missed", period="H1", count=2)  # 2 × 0.2
    add_entry(demo.year, demo.js, "8.late_material", period="H2", count=1)  # 0.5, second half
    add_entry(demo.year, demo.js, "2.paper_national", period="H1", count=1, status="submitted")
    h1 = department(circular_content(demo.year, "H1", JULY), "JS")["categories"]
    h2 = department(circular_content(demo.year, "H2", JULY), "JS")["categories"]

    def delta(after: dict[str, Any], before: dict[str, Any], cat: str, key: str) -> str:
        from decimal import Decimal

        return str(Decimal(after[cat][key]) - Decimal(before[cat][key]))

    assert delta(h1, before_h1, "business", "deductions") == "0.40"
    assert delta(h1, before_h1, "conduct", "deductions") == "0.00"  # an H2 entry
    assert delta(h1, before_h1, "business", "bonuses") == "0.00"  # submitted, not confirmed
    assert delta(h2, before_h2, "business", "deductions") == "0.40"
    assert delta(h2, before_h2, "conduct", "deductions") == "0.50"


def test_a_departments_targets_show_their_latest_report_and_the_reports_missing(
    demo: Demo,
) -> None:
    target = approved_js_target(demo)
    js = department(circular_content(demo.year, "H1", JULY), "JS")
    assert js["targets"] == [{"number": target.number, "content": "完成重点工程", "status": ""}]
    assert [(m["target"], m["deadline"]) for m in js["missing"]] == [(target.number, "2016-07-15")]
    assert "未报告" in text_of(circular_content(demo.year, "H1", JULY))
    assert "缺报1次" in text_of(circular_content(demo.year, "H1", JULY))
    target_actions.report_submit(
        by=demo.head_js, target=target, period="H1", status="on_schedule", done="推进中"
    )
    js = department(circular_content(demo.year, "H1", JULY), "JS")
    assert js["targets"][0]["status"] == "on_schedule"
    assert js["missing"] == []
    text = text_of(circular_content(demo.year, "H1", JULY))
    assert "序时推进" in text
    assert "无缺报" in text
    # before the deadline nothing is missing yet
    assert (
        department(circular_content(demo.year, "H1", datetime.date(2016, 7, 1)), "JS")["missing"]
        == []
    )


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("常经信考〔2016〕3号", True),
        ("常经信考〔2016〕12号", True),
        ("常经信考[2016]3号", False),  # square brackets, not 六角括号
        ("常经信考（2016）3号", False),
        ("常经信考〔2016〕03号", False),  # 不编虚位
        ("常经信考〔2016〕第3号", False),
        ("常经信考〔2015〕3号", False),  # not the year of issue
        ("〔2016〕3号", False),
        ("=HYPERLINK(1)〔2016〕3号", False),
    ],
)
def test_the_document_number_is_checked(number: str, ok: bool) -> None:
    assert (number_problems(number, JULY) == []) is ok


def test_headings_count_in_chinese_numerals() -> None:
    assert [numeral(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]


# --- drafting and publishing --------------------------------------------------------------------


def _draft(demo: Demo, half: str = "H1") -> CircularDraft:
    return actions.circular_draft(
        by=demo.office, year=demo.year, half=half, number="常经信考〔2016〕3号", date=JULY
    )


def test_drafting_editing_and_publishing_each_write_an_audit_row(demo: Demo) -> None:
    draft = _draft(demo)
    assert "督查" in draft.preface and draft.conclusion
    actions.circular_update(
        by=demo.office,
        draft=draft,
        number="常经信考〔2016〕4号",
        date=JULY,
        preface="现将上半年督查情况通报如下：",
        conclusion="请各部门抓好落实。",
    )
    circular = actions.circular_publish(by=demo.office, draft=draft)
    rows = list(AuditEvent.objects.filter(target_type="circular").order_by("sequence"))
    assert [r.action for r in rows] == ["circular_draft", "circular_update", "circular_publish"]
    assert rows[1].before["number"] == "常经信考〔2016〕3号"
    assert rows[1].after["number"] == "常经信考〔2016〕4号"
    assert rows[2].after["digest"] == circular.content["digest"]
    assert circular.title == "关于2016年上半年机关内设机构考核督查情况的通报"
    assert circular.preface == "现将上半年督查情况通报如下："
    assert not CircularDraft.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": "常经信考[2016]3号"}, "number"),
        ({"number": "常经信考〔2015〕3号"}, "number"),
        ({"preface": "   "}, "preface"),
        ({"conclusion": "字" * 5001}, "conclusion"),
        ({"date": datetime.date(2016, 5, 1), "number": "常经信考〔2016〕3号"}, None),
    ],
)
def test_a_bad_edit_is_refused_and_writes_nothing(
    demo: Demo, changes: dict[str, Any], field: str | None
) -> None:
    draft = _draft(demo, "H2" if field is None else "H1")
    rows = AuditEvent.objects.count()
    values = {"number": draft.number, "date": draft.date, "preface": "前言", "conclusion": "结束语"}
    with pytest.raises(ValidationError) as refused:
        actions.circular_update(by=demo.office, draft=draft, **{**values, **changes})
    assert (field or "date") in refused.value.message_dict
    assert all("\u4e00" <= m[0] <= "\u9fff" for m in refused.value.messages)  # worded in Chinese
    assert AuditEvent.objects.count() == rows
    draft.refresh_from_db()
    assert draft.preface != "前言"


def test_only_the_assessment_office_drafts_and_publishes(demo: Demo) -> None:
    for user in (demo.leader, demo.party, demo.head_js, demo.clerk, demo.outsider):
        with pytest.raises(PermissionDenied):
            actions.circular_draft(
                by=user, year=demo.year, half="H1", number="常经信考〔2016〕3号", date=JULY
            )
    draft = _draft(demo)
    with pytest.raises(PermissionDenied):
        actions.circular_publish(by=demo.party, draft=draft)
    assert not Circular.objects.exists()


def test_a_published_circular_keeps_what_was_printed(demo: Demo) -> None:
    target = approved_js_target(demo)
    circular = actions.circular_publish(by=demo.office, draft=_draft(demo))
    printed = dict(circular.content)
    # later inputs change the live computation, not the published circular
    add_entry(demo.year, demo.js, "1.report_missed", period="H1", count=5)
    target_actions.report_submit(
        by=demo.head_js, target=target, period="H1", status="done", done="已完成"
    )
    stored = Circular.objects.get(pk=circular.pk)
    assert stored.content == printed
    assert circular_content(demo.year, "H1", JULY)["digest"] != printed["digest"]
    # the row cannot be changed or deleted
    stored.preface = "改过"
    with pytest.raises(PublishedVersionImmutable):
        stored.save()
    with pytest.raises(PublishedVersionImmutable):
        Circular.objects.filter(pk=circular.pk).update(preface="改过")
    with pytest.raises(PublishedVersionImmutable):
        stored.delete()
    # nor drafted again
    with pytest.raises(ValidationError):
        actions.circular_draft(
            by=demo.office, year=demo.year, half="H1", number="常经信考〔2016〕5号", date=JULY
        )
    assert Circular.objects.get(pk=circular.pk).preface == circular.preface


def test_two_published_circulars_cannot_share_a_number(demo: Demo) -> None:
    actions.circular_publish(by=demo.office, draft=_draft(demo, "H1"))
    with pytest.raises(ValidationError) as refused:
        actions.circular_draft(
            by=demo.office, year=demo.year, half="H2", number="常经信考〔2016〕3号", date=JULY
        )
    assert "number" in refused.value.message_dict


def test_the_database_itself_refuses_to_change_a_published_circular(demo: Demo) -> None:
    from django.db import IntegrityError, connection, transaction

    circular = actions.circular_publish(by=demo.office, draft=_draft(demo))
    with connection.cursor() as cursor:
        for statement in (
            "UPDATE results_circular SET preface = 'x' WHERE id = %s",
            "DELETE FROM results_circular WHERE id = %s",
        ):
            with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
                cursor.execute(statement, [circular.pk])
    assert Circular.objects.get(pk=circular.pk).preface == circular.preface
