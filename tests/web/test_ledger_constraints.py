"""What the database itself refuses (rules.md §3: once-a-year rules, shortfall per half-year),
on SQLite and PostgreSQL alike; the races themselves are in test_races.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kaohe.ledger import actions
from kaohe.ledger.models import Entry, Objection
from tests.web.conftest import World
from tests.web.factories import add_entry

pytestmark = pytest.mark.django_db


def once(w: World, **kw: object) -> Entry:
    fields: dict[str, object] = {"period": "year", "count": 1, "department": w.js} | kw
    return actions.entry_record(
        by=w.clerk_zh, year=w.year, rule_id="2.topic_unmet", office="ZH", **fields
    )


def test_a_second_live_entry_of_a_once_a_year_rule_is_refused_by_the_database(world: World) -> None:
    add_entry(world.year, world.js, "2.topic_unmet", status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        add_entry(world.year, world.js, "2.topic_unmet", status="confirmed")


def test_a_draft_or_returned_entry_holds_the_once_a_year_place(world: World) -> None:
    draft = once(world)
    with pytest.raises(ValidationError, match="每年至多一次"):
        once(world)
    actions.entry_submit(by=world.clerk_zh, entry=draft)
    actions.entry_return(by=world.office, entry=draft, reason="证据不足")
    with pytest.raises(ValidationError, match="每年至多一次"):
        once(world)


def test_a_voided_entry_leaves_its_place_to_a_new_one(world: World) -> None:
    first = once(world, submit=True)
    actions.entry_void(by=world.office, entry=first, reason="记错处室")
    second = once(world)
    assert {first.once_slot, second.once_slot} == {"year"}
    assert Entry.objects.filter(rule_id="2.topic_unmet").count() == 2


def test_a_shortfall_entry_takes_its_half_year_only(world: World) -> None:
    def shortfall(period: str) -> Entry:
        return actions.entry_record(
            by=world.clerk_zh,
            year=world.year,
            department=world.bg,
            rule_id="3.info_shortfall",
            office="ZH",
            period=period,
            actual=1,
        )

    h1, h2 = shortfall("H1"), shortfall("H2")
    assert (h1.once_slot, h2.once_slot) == ("H1", "H2")
    with pytest.raises(ValidationError, match="本半年已有"):
        actions.entry_update(by=world.clerk_zh, entry=h2, period="H1", actual=1)
    assert Entry.objects.get(pk=h2.pk).period == "H2"


def test_other_rules_take_any_number_of_entries(world: World) -> None:
    for _ in range(3):
        entry = add_entry(world.year, world.js, "1.report_missed")
    assert entry.once_slot == ""


def test_the_database_keeps_one_open_objection_per_entry(world: World) -> None:
    entry = add_entry(world.year, world.js, "1.report_missed")
    Objection.objects.create(entry=entry, raised_by=world.head_js, reason="一")
    Objection.objects.create(entry=entry, raised_by=world.head_js, reason="二", status="rejected")
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(entry=entry, raised_by=world.head_js, reason="三")


def test_a_second_objection_while_one_is_open_is_refused_in_words(world: World) -> None:
    entry = add_entry(world.year, world.js, "1.report_missed")
    actions.objection_raise(by=world.head_js, entry=entry, reason="已按时报送")
    with pytest.raises(ValidationError, match="已有一项待处理的异议"):
        actions.objection_raise(by=world.head_js, entry=entry, reason="再次异议")
