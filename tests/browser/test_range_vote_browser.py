"""The office's secret ballot on a range amount in the browser: the director opens it on a desk,
a member votes with a slip on a phone, another from their account, the director closes it.

Screenshots go to $KAOHE_SHOTS (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from kaohe.ledger.models import Entry, RangeVoteCast
from tests.browser.conftest import Pages
from tests.web.range_votes_support import office, pending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return errors


def test_a_secret_ballot_from_the_desk_and_the_phone(pages: Pages) -> None:
    world, base = pages.world, pages.base
    office(world, heads=3, head_accounts={0: world.clerk_rs})  # 4 members, 2 by slip
    [entry] = pending(world)

    # the director opens the vote on a desk
    desk = pages.login(world.leader)
    errors = _csp_errors(desk)
    desk.goto(f"{base}/ledger/2016/range-votes/")
    desk.get_by_label(re.compile(entry.ref)).check()
    desk.get_by_label("0.5").check()
    desk.get_by_label("会议").fill("考核办第3次会议")
    pages.shot(desk, "range-vote-desktop-1-open")
    assert pages.fits(desk)
    desk.get_by_role("button", name="发起投票并生成投票码").click()
    desk.get_by_role("heading", name="投票已发起").wait_for()
    codes = desk.locator(".vote-code").all_inner_texts()
    assert len(codes) == 2
    pages.shot(desk, "range-vote-desktop-2-codes")

    # a member votes with a slip on a phone, no login
    phone = pages.open("phone")
    errors += _csp_errors(phone)
    phone.goto(f"{base}/ledger/range-vote/")
    phone.get_by_label("纸条上的投票码").fill(codes[0])
    phone.get_by_role("button", name="继续").click()
    select = phone.locator(f"select[name='a:{entry.pk}']")
    select.wait_for()
    assert pages.fits(phone)
    select.select_option("3.5")
    pages.shot(phone, "range-vote-phone-1-ballot")
    phone.get_by_role("button", name="投票").click()
    phone.get_by_text("您的票已投出").wait_for()
    pages.shot(phone, "range-vote-phone-2-thanks")

    # 组织人事处's head votes from their own page on a phone
    member = pages.login(world.clerk_rs, "phone")
    member.goto(f"{base}/years/2016/")
    member.get_by_role("link", name="有一场无记名投票待您投票").click()
    member.get_by_role("button", name="投票").click()
    member.locator(f"select[name='a:{entry.pk}']").select_option("2")
    assert pages.fits(member)
    pages.shot(member, "range-vote-phone-3-account")
    member.get_by_role("button", name="投票").click()
    member.get_by_text("您的票已投出").wait_for()

    # the director closes: 3 of 4 voted (the director's own vote: 4) → the median of 2, 3.5, 4
    desk.goto(f"{base}/ledger/2016/range-votes/")
    desk.get_by_role("link", name="考核办第3次会议").click()
    desk.get_by_text("4 名成员中 2 人").wait_for()
    # the director votes from the desk too
    desk.goto(f"{base}/ledger/range-votes/mine/")
    desk.get_by_role("button", name="投票").click()
    desk.locator(f"select[name='a:{entry.pk}']").select_option("4")
    desk.get_by_role("button", name="投票").click()
    desk.get_by_text("您的票已投出").wait_for()
    desk.goto(f"{base}/ledger/2016/range-votes/")
    desk.get_by_role("link", name="考核办第3次会议").click()
    desk.get_by_role("button", name="结束投票并计票").click()
    desk.get_by_text("已按所投分值的中位数决定").wait_for()
    pages.shot(desk, "range-vote-desktop-3-count")
    phone_count = pages.login(world.leader, "phone")
    phone_count.goto(desk.url)
    assert pages.fits(phone_count)
    pages.shot(phone_count, "range-vote-phone-4-count")
    assert Entry.objects.get(pk=entry.pk).amount == Decimal("3.5")
    assert RangeVoteCast.objects.count() == 3

    # the entry's page says how it was decided
    desk.goto(f"{base}/ledger/entries/{entry.pk}/")
    votes = desk.locator("#entry-votes")
    assert "4 名成员中 3 人投票" in votes.inner_text()
    pages.shot(desk, "range-vote-desktop-4-entry")
    assert errors == []
