"""Decided amounts have cents at most, and the preview refuses what saving refuses (issue 10, 5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kaohe.ledger import actions
from kaohe.ledger.models import Entry, EntryStatus
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

ONCE_TWICE = "该处室本年度已有此项记录(每年至多一次)。"


def record(w: World, rule: str, *, submit: bool = True, **kw: Any) -> Entry:
    fields = {"period": "year", "count": 1, "department": w.js} | kw
    return actions.entry_record(
        by=w.clerk_zh, year=w.year, rule_id=rule, office="ZH", submit=submit, **fields
    )


def decide(w: World, entry: Entry, amount: str) -> Entry:
    return actions.entry_decide(
        by=w.office, entry=entry, amount=Decimal(amount), method="collective", meeting="第3次会议"
    )


def test_a_decided_amount_has_at_most_two_decimal_places(world: World) -> None:
    entry = record(world, "1.target_unmet")
    with pytest.raises(ValidationError) as exc:
        decide(world, entry, "2.345")
    assert exc.value.message_dict["amount"] == ["最多保留 2 位小数。"]
    assert decide(world, entry, "2.35").amount == Decimal("2.35")


def test_the_decide_form_refuses_a_third_decimal_place(world: World) -> None:
    entry = record(world, "1.target_unmet")
    decision = {"decide-amount": "2.3333", "decide-method": "ballot", "decide-meeting": "第3次会议"}
    response = world.client(world.office).post(f"/ledger/entries/{entry.pk}/decide/", decision)
    assert "小数不超过 2 位" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.amount) == (EntryStatus.SUBMITTED, None)


def test_a_corrected_amount_has_at_most_two_decimal_places(world: World) -> None:
    entry = decide(world, record(world, "1.target_unmet"), "2")
    objection = actions.objection_raise(by=world.head_js, entry=entry, reason="偏高")
    with pytest.raises(ValidationError, match="最多保留 2 位小数"):
        actions.objection_resolve(
            by=world.office,
            objection=objection,
            uphold=True,
            resolution="核减",
            corrected_amount=Decimal("1.005"),
        )


def preview(w: World, **query: str) -> str:
    response = w.client(w.clerk_zh).get("/ledger/2016/entries/preview/", query)
    return response.content.decode().strip()


def test_the_preview_says_a_once_a_year_rule_is_already_used(world: World) -> None:
    query = {"rule": "2.topic_unmet", "department": "JS", "period": "year", "count": "1"}
    assert preview(world, **query).startswith("扣 ")
    # given the department's once-a-year entry is recorded
    first = record(world, "2.topic_unmet", submit=False)
    # then the preview says what saving would say, not an amount
    assert preview(world, **query) == f"无法保存：{ONCE_TWICE}"
    with pytest.raises(ValidationError):
        record(world, "2.topic_unmet")
    # and the entry's own edit page does not count it against itself
    assert preview(world, **query, entry=str(first.pk)).startswith("扣 ")
    page = world.client(world.clerk_zh).get(f"/ledger/entries/{first.pk}/edit/").content.decode()
    assert ONCE_TWICE not in page


def test_the_preview_of_another_clerks_entry_is_refused(world: World) -> None:
    first = record(world, "2.topic_unmet", submit=False)
    response = world.client(world.clerk_rs).get(
        "/ledger/2016/entries/preview/", {"rule": "2.topic_unmet", "entry": str(first.pk)}
    )
    assert response.status_code in (403, 404)
