"""Drafting and approving an annual target, and its half-year report, on a laptop and on a
phone (issue 11, parts 1 and 2)."""

from __future__ import annotations

import pytest

from kaohe.org.models import Department
from kaohe.targets.models import HalfYearReport, Target
from tests.browser.conftest import VIEWPORTS, Pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_a_target_is_drafted_reviewed_approved_and_reported_on(pages: Pages, screen: str) -> None:
    world = pages.world
    Department.objects.filter(pk=world.js.pk).update(supervising_leader=world.leader)
    base = pages.base
    # the department drafts and submits
    page = pages.login(world.liaison_js, screen)
    page.goto(f"{base}/targets/2016/new/")
    page.fill("#id_content", "全年完成工业技改投资120亿元")
    page.fill("#id_measure", "市统计局年报数据")
    page.fill("#id_due", "2016-12-31")
    page.select_option("#id_source", "task_book")
    page.check("#id_in_supervision")
    page.fill("#id_responsible", "张三")
    assert pages.fits(page)
    pages.shot(page, f"target-new-{screen}")
    page.click("button[name=submit]")
    page.wait_for_url("**/targets/t/*/")
    assert "待分管领导初审" in page.inner_text("main")
    target = Target.objects.get()
    # the supervising leader passes it
    page = pages.login(world.leader, screen)
    page.goto(f"{base}/targets/t/{target.pk}/")
    page.fill("#review textarea[name=comment]", "同意")
    page.click("#review button[value=approve]")
    page.wait_for_url(f"**/targets/t/{target.pk}/")
    assert "初审通过" in page.inner_text("main")
    # the assessment office compiles it and records the leading group's approval
    page = pages.login(world.office, screen)
    page.goto(f"{base}/targets/2016/")
    page.click("#compile form button")
    page.wait_for_url("**/targets/2016/")
    page.fill("#id_meeting", "考核领导小组2016年第1次会议")
    page.fill("#id_meeting_date", "2016-01-28")
    page.fill("#id_document_no", "常经信考〔2016〕1号")
    page.click("#compile form.form button")
    page.wait_for_url("**/targets/2016/")
    assert "考核领导小组已审定" in page.inner_text("#targets")
    assert pages.fits(page)
    pages.shot(page, f"targets-list-{screen}")
    # the department reports at the half-year
    page = pages.login(world.head_js, screen)
    page.goto(f"{base}/targets/t/{target.pk}/")
    page.select_option("#id_status", "on_schedule")
    page.fill("#id_done", "上半年完成技改投资65亿元")
    page.click("#report button[type=submit]")
    page.wait_for_url(f"**/targets/t/{target.pk}/")
    assert "序时推进" in page.inner_text("#reports")
    assert "常经信考〔2016〕1号" in page.inner_text("#versions")
    assert HalfYearReport.objects.filter(target=target, period="H1").exists()
    assert pages.fits(page)
    pages.shot(page, f"target-detail-{screen}")
