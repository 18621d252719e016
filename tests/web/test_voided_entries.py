"""A voided entry says so first, and its office is told (issue 10, point 4)."""

from __future__ import annotations

import pytest

from kaohe.ledger import actions
from kaohe.ledger.models import Entry
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def voided_bonus(w: World) -> Entry:
    entry = actions.entry_record(
        by=w.clerk_zh,
        year=w.year,
        department=w.js,
        rule_id="2.paper_national",
        office="ZH",
        period="H1",
        count=1,
        submit=True,
    )
    actions.entry_confirm(by=w.office, entry=entry)
    return actions.entry_void(by=w.office, entry=entry, reason="重复录入")


def page(w: World, user: object, url: str) -> str:
    return w.client(user).get(url).content.decode()


def test_a_voided_entry_shows_its_state_before_anything_else(world: World) -> None:
    entry = voided_bonus(world)
    who = world.office.get_full_name() or world.office.username
    for user in (world.clerk_zh, world.head_js, world.office):
        body = page(world, user, f"/ledger/entries/{entry.pk}/")
        head = body.split('<section class="card">', 1)[0]
        # then the heading says 已作废, by whom, why — not a big green amount
        assert "已作废，本条记录不计分" in head
        assert f"由 {who} 于 " in head and " 作废。" in head
        assert "理由：重复录入" in head
        assert 'class="amount pos"' not in body
        # and the amount it had is there, as what it was
        assert "作废前：加 3.00 分。" in head


def test_a_live_entry_still_shows_its_amount(world: World) -> None:
    entry = voided_bonus(world)
    entry.status = "confirmed"
    entry.save()
    body = page(world, world.clerk_zh, f"/ledger/entries/{entry.pk}/")
    assert '<p class="amount pos">加 3.00 分</p>' in body
    assert "已作废，本条记录不计分" not in body


def test_the_recording_office_sees_its_voided_entries_on_its_home_page(world: World) -> None:
    entry = voided_bonus(world)
    home = page(world, world.clerk_zh, "/")
    assert "已作废的记录" in home
    voided = home.split('id="wb-voided"', 1)[1].split("</ul>", 1)[0]
    assert f"/ledger/entries/{entry.pk}/" in voided
    assert entry.ref in voided and "理由：重复录入" in voided
    # another office is not told
    assert 'id="wb-voided"' not in page(world, world.clerk_rs, "/")
