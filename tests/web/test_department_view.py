"""The department's page: every number with the trail that explains it, in Chinese."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from kaohe.engine.numbers import fmt2
from kaohe.ledger.models import Entry, EntryPerson, Evidence, Objection
from kaohe.org.models import Person
from kaohe.results.bundle import year_results
from tests.web.conftest import World
from tests.web.factories import add_adjustment, add_entry, add_round, add_veto
from tests.web.results_support import hold_rounds, publish

pytestmark = pytest.mark.django_db


def page(w: World, user: Any, code: str = "JS") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("years:department", args=[w.year.year, code]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_deduction_cap_is_explained_in_plain_chinese(world: World) -> None:
    # given JS has 25 points of deductions and 3 of bonuses in 业务工作
    add_entry(world.year, world.js, "1.target_unmet", count=5, amount=Decimal("5"))
    add_entry(world.year, world.js, "2.paper_national")
    # when its head opens the department's page
    body = page(world, world.head_js)
    # then the category reads as the scheme says: deductions stop at 20, bonuses added after
    assert "业务工作 20 分 − 扣分 25.00(以本类分值为限,扣至 0)+ 加分 3.00 = 3.00" in body
    assert "扣分 25.00 超过本类分值 20 分,只扣 20 分。" in body
    assert "评定 5 分/项 × 5项 = 25.00" in body
    assert "3 分/篇 × 1篇 = 3.00" in body


def test_every_figure_is_the_engines(world: World) -> None:
    add_entry(world.year, world.js, "1.report_missed", count=3)
    add_entry(world.year, world.js, "4.study_absence", office="RS", count=2)
    add_round(world.year, "leader", "year", [{"JS": "good", "XX": "excellent", "BG": "fair"}])
    add_adjustment(world.year, world.js, "-1.5", "党组研究扣分")
    result = year_results(world.year).get("JS")
    body = page(world, world.office)
    assert f'data-col="total">{fmt2(result.total)}<' in body
    assert f'data-col="content">{fmt2(result.content)}<' in body
    assert f'data-col="business">{fmt2(result.categories["business"])}<' in body
    total = (
        f"考核内容 {fmt2(result.content)} + 综合测评 {fmt2(result.evaluation_total)}"
        f" + 党组加减分(-1.50)= 总分 {fmt2(result.total)}"
    )
    assert total in body
    assert f"第 {result.rank} 名(共 3 个处室)" in body
    assert "党组研究扣分" in body


def test_rounds_show_grade_counts_and_points(world: World) -> None:
    ballots = [{"JS": "excellent", "BG": "good"}, {"JS": "excellent"}, {"JS": "good", "BG": "poor"}]
    add_round(world.year, "democratic", "H1", ballots)
    body = page(world, world.liaison_js)
    assert "上半年:优秀 2、良好 1,有效票 3 张 → 10 × (2×1 + 1×0.8)÷ 3 = 9.33" in body
    assert "全年:无有效票,本轮不计。" in body
    # a kind with no ballots at all is flagged: the results are incomplete
    assert "领导评价:各轮均无有效票,计 0 分(结果不完整)。" in body
    assert "部分测评尚无有效票" in body


def test_a_comprehensive_department_is_not_rated_in_style(world: World) -> None:
    body = page(world, world.office, "BG")
    assert "作风评议:综合部门不参加本项测评(0 分)。" in body


def test_confirmed_entries_show_their_evidence_and_pending_ones_wait_apart(world: World) -> None:
    confirmed = add_entry(world.year, world.js, "1.report_missed", description="少报一次")
    evidence = Evidence.objects.create(
        entry=confirmed,
        file="evidence/00/x",
        original_name="督查通报.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    add_entry(world.year, world.js, "1.target_unmet", status="submitted", description="目标未完成")
    add_entry(world.year, world.js, "1.report_missed", status="draft", description="草稿不可见")
    body = page(world, world.head_js)
    assert "少报一次" in body
    assert "督查通报.pdf" in body
    # links to the ledger's pages, once they exist (the page renders without them too)
    for name, arg in (("ledger:evidence", evidence.pk), ("ledger:entry_detail", confirmed.pk)):
        with contextlib.suppress(NoReverseMatch):
            assert f'href="{reverse(name, args=[arg])}"' in body
    pending = body[body.index('id="pending"') :]
    assert "目标未完成" in pending
    assert "每项 1–5 分 × 1项,待考核办评定分值" in pending
    # the pending entry does not count yet, and a draft is not the department's to see
    assert year_results(world.year).get("JS").categories["business"] == Decimal("19.8")
    assert "草稿不可见" not in body


def test_a_same_work_bonus_that_does_not_count_says_why(world: World) -> None:
    larger = add_entry(world.year, world.js, "3.news_national", same_work="稿件A")
    add_entry(world.year, world.js, "3.news_municipal", same_work="稿件A")
    body = page(world, world.head_js)
    assert "同一项工作(稿件A)按最高奖项加分:本条计入。" in body
    # the one that does not count names the one that counts instead (the trail's reference)
    assert f"同一项工作(稿件A)按最高奖项加分:不低于本条的 {larger.ref} 计入,本条不计。" in body
    assert 'class="not-counted"' in body


def test_vetoes_honors_and_objections_are_shown(world: World) -> None:
    entry = add_entry(world.year, world.js, "1.report_missed")
    Objection.objects.create(
        entry=entry,
        raised_by=world.head_js,
        reason="已按时上报",
        status="rejected",
        resolution="系统记录显示未上报",
    )
    add_veto(world.year, world.js)
    body = page(world, world.head_js)
    assert "被通报批评" in body
    assert "一票否决:当年不得评优" in body
    objections = body[body.index('id="objections"') :]
    assert "已按时上报" in objections
    assert "异议不成立" in objections
    assert "系统记录显示未上报" in objections


@pytest.mark.parametrize("who", ["head_xx", "clerk_zh", "clerk_rs"])
def test_other_departments_and_clerks_do_not_learn_the_page_exists(world: World, who: str) -> None:
    client = Client()
    client.force_login(getattr(world, who))
    response = client.get(reverse("years:department", args=[2016, "JS"]))
    assert response.status_code == 404


def test_a_department_not_assessed_that_year_is_not_found(world: World) -> None:
    client = Client()
    client.force_login(world.office)
    assert client.get(reverse("years:department", args=[2016, "NOPE"])).status_code == 404
    assert client.get(reverse("years:department", args=[2015, "JS"])).status_code == 404


@pytest.mark.parametrize("published", [False, True])
def test_the_entries_kept_rendered_show_every_change_to_their_rows(
    world: World, published: bool
) -> None:
    # given an entry naming a person, its page opened (the entries' part rendered and kept)
    entry = add_entry(world.year, world.js, "1.report_missed", description="少报一次")
    person = Person.objects.get(department=world.js, name="JS甲")
    EntryPerson.objects.create(entry=entry, person=person, times=2)
    if published:
        hold_rounds(world.year)
        publish(world.year, by=world.party)  # the figures shown are the version's from now on
    assert "JS甲 ×2" in page(world, world.head_js)
    # when what the part shows changes without changing the figures (written behind the
    # actions' back: no inputs version is bumped)
    for name in ("补充材料.pdf", "整改报告.pdf"):
        Evidence.objects.create(
            entry=entry,
            file=f"evidence/00/{name}",
            original_name=name,
            content_type="application/pdf",
            size=10,
            sha256="1" * 64,
        )
    Person.objects.filter(pk=person.pk).update(name="JS丙")
    Entry.objects.filter(pk=entry.pk).update(description="少报两次")
    # then the page shows it at once
    body = page(world, world.head_js)
    assert "补充材料.pdf</a><br><a" in body and "整改报告.pdf" in body  # each file once, in order
    assert body.index("补充材料.pdf") < body.index("整改报告.pdf")
    assert body.count("JS丙 ×2") == 1  # the entry's line once, however many files
    assert "JS丙 ×2" in body and "JS甲" not in body
    assert "少报两次" in body and "少报一次" not in body


def test_the_entries_kept_rendered_are_per_department(world: World) -> None:
    # given two departments with an entry each, both pages opened by the office
    add_entry(world.year, world.js, "1.report_missed", description="JS 的记录")
    first = page(world, world.office, "JS")
    second = page(world, world.office, "XX")
    # then each shows only its own rows
    assert "JS 的记录" in first
    assert "JS 的记录" not in second
