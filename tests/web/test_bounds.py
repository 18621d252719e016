"""Counts, amounts, ranks and years are bounded everywhere, as kaohe/engine/limits.py says
(issue 9 §5: 10**12 was saved as +1,000,000,000,000.00 分, 1e30 answered HTTP 500)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kaohe.assessment.actions import AssessedRow, year_create, year_departments_set
from kaohe.ledger import actions
from kaohe.ledger.models import Entry
from kaohe.org.actions import department_create
from kaohe.org.models import Department
from kaohe.results.actions import adjustment_record
from kaohe.results.models import Adjustment
from kaohe.years.models import Year
from tests.web.conftest import World
from tests.web.test_ledger_batch import upload

pytestmark = pytest.mark.django_db


def record(w: World, **fields: Any) -> Entry:
    values = {"rule_id": "1.report_missed", "period": "H1", "count": 1} | fields
    return actions.entry_record(by=w.clerk_zh, year=w.year, department=w.js, office="ZH", **values)


@pytest.mark.parametrize("count", [1000, 10**12, 2**31])
def test_the_action_refuses_counts_over_999(world: World, count: int) -> None:
    with pytest.raises(ValidationError) as info:
        record(world, count=count)
    assert info.value.message_dict == {"count": ["最多为 999。"]}
    assert not Entry.objects.exists()


def test_the_action_refuses_actual_counts_over_9999(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        record(world, rule_id="3.info_shortfall", count=None, actual=10**5)
    assert info.value.message_dict == {"actual": ["最多为 9999。"]}


def test_the_action_refuses_same_work_keys_longer_than_stored(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        record(world, rule_id="2.paper_national", same_work="调" * 101)
    assert info.value.message_dict == {"same_work": ["最多 100 个字符。"]}


def test_counts_at_the_bound_are_recorded(world: World) -> None:
    assert record(world, count=999).count == 999


def test_the_entry_form_says_the_bound(world: World) -> None:
    response = world.client(world.clerk_zh).post(
        "/ledger/2016/entries/new/",
        {
            "office": "ZH",
            "department": "JS",
            "rule": "1.report_missed",
            "period": "H1",
            "count": "1000",
            "action": "submit",
        },
    )
    assert response.status_code == 200
    assert "999" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_batch_of_huge_counts_lists_each_row_and_saves_nothing(world: World) -> None:
    rows = [
        ["JS", "1.report_missed", "上半年", 10**12, None, None, None, None, "十的十二次方"],
        ["JS", "1.report_missed", "下半年", 1e30, None, None, None, None, "1e30"],
        ["BG", "3.info_shortfall", "下半年", None, 10**6, None, None, None, "少报"],
    ]
    response = upload(world.client(world.clerk_zh), rows)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("最多为 999。") == 2 and "最多为 9999。" in page
    assert 'name="token"' not in page and not Entry.objects.exists()


def test_adjustments_are_bounded_to_100_points(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        adjustment_record(
            by=world.office,
            year=world.year,
            department=world.js,
            amount=Decimal("100.5"),
            reason="党组研究决定",
            meeting="党组会议",
        )
    assert info.value.message_dict == {"amount": ["分值应在 -100 至 100 分之间。"]}
    response = world.client(world.office).post(
        "/results/2016/adjustments/",
        {"department": str(world.js.pk), "amount": "-1000000", "reason": "x", "meeting": "y"},
    )
    assert response.status_code == 200 and not Adjustment.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101, 10**12])
def test_years_lie_between_2000_and_2100(world: World, year: int) -> None:
    with pytest.raises(ValidationError):
        year_create(by=world.office, year=year, source="builtin:cz-jxw-2016")
    assert not Year.objects.filter(year=year).exists()
    with pytest.raises(ValidationError):
        department_create(
            by=world.office, code="NEW", name="新处", type="general", active_from=year
        )
    assert not Department.objects.filter(code="NEW").exists()


def test_last_years_rank_is_bounded(world: World) -> None:
    rows = [AssessedRow(world.js, True, "service", 10**12)]
    with pytest.raises(ValidationError):
        year_departments_set(by=world.office, year=world.year, rows=rows)
    assert world.year.assessed.get(department=world.js).previous_rank is None
