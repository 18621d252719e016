"""The deadlines page and the bell on a laptop and on a phone (issue 11.4): the office sets a
deadline, `kaohe remind` reminds who is late or about to be, a department head sees the count in
the bell, follows the reminder to its row on the deadlines page and marks it read."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kaohe.accounts.models import Notification
from kaohe.assessment import reminders
from kaohe.org.models import Department
from kaohe.targets import actions as target_actions
from tests.browser.conftest import VIEWPORTS, Pages
from tests.web.factories import make_year
from tests.web.test_targets_flow import FIELDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("screen", VIEWPORTS)
def test_the_late_are_shown_and_reminded_in_the_bell(pages: Pages, screen: str) -> None:
    world = pages.world
    today = timezone.localdate()
    year = make_year(today.year, [world.js, world.xx, world.bg])
    Department.objects.filter(pk=world.js.pk).update(supervising_leader=world.leader)
    # JS has submitted its targets; XX and 办公室 have not (due 31 January: late)
    fields = FIELDS.__class__(**{**FIELDS.__dict__, "due": datetime.date(today.year, 12, 31)})
    target_actions.target_draft(
        by=world.head_js, year=year, department=world.js, fields=fields, submit=True
    )
    base = pages.base
    # the office sets the self-assessment form's deadline two days ahead
    page = pages.login(world.office, screen)
    page.goto(f"{base}/years/{year.year}/deadlines/edit/")
    soon = today + datetime.timedelta(days=2)
    page.fill("#id_self_assessment", soon.isoformat())
    page.click("#deadlines-form button[type=submit]")
    page.wait_for_url(f"**/years/{year.year}/deadlines/")
    late = (today - datetime.date(today.year, 1, 31)).days
    row = page.locator("#step-targets tr[data-code=XX]")
    assert f"逾期 {late} 天" in row.inner_text()
    assert "已完成" in page.locator("#step-targets tr[data-code=JS]").inner_text()
    assert "尚未完成" in page.locator("#step-self_assessment tr[data-code=XX]").inner_text()
    assert pages.fits(page)
    pages.shot(page, f"deadlines-office-{screen}")
    # the daily run reminds XX's head: targets overdue, the form due in two days (and, once,
    # of the world's unpublished 2016, long overdue)
    reminders.reminders_send(by=None, asof=today, days_before=3)
    Notification.objects.filter(user=world.head_xx).exclude(url__contains=str(year.year)).delete()
    page = pages.login(world.head_xx, screen)
    page.goto(f"{base}/years/{year.year}/")
    bell = page.locator("#bell")
    assert bell.locator(".count").inner_text() == "2"
    assert pages.fits(page)
    pages.shot(page, f"bell-{screen}")
    bell.click()
    page.wait_for_url("**/account/notifications/")
    items = page.locator("#notifications li.unread")
    assert items.count() == 2
    text = page.inner_text("#notifications")
    assert f"已逾期 {late} 天" in text and "还有 2 天" in text
    assert pages.fits(page)
    pages.shot(page, f"notifications-{screen}")
    # the reminder leads to the deadlines page: XX sees its own rows only
    items.first.locator("a").click()
    page.wait_for_url(f"**/years/{year.year}/deadlines/")
    assert page.locator("#step-targets tr[data-code=XX]").count() == 1
    assert page.locator("#step-targets tr[data-code=JS]").count() == 0
    assert pages.fits(page)
    pages.shot(page, f"deadlines-department-{screen}")
    # marked read, the bell is back to 0
    page.goto(f"{base}/account/notifications/")
    page.click("#notifications-read-all button")
    page.wait_for_url("**/account/notifications/")
    assert page.locator("#bell .count").inner_text() == "0"
    assert page.locator("#notifications li.unread").count() == 0
