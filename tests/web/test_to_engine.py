"""Each model's mapping to the engine's values (`to_engine`), the one place a row becomes input."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from kaohe.ballots.models import Ballot
from kaohe.engine import bundle as engine
from kaohe.org.models import Department, Person
from kaohe.years.models import YearDepartment
from tests.web.conftest import World
from tests.web.factories import add_adjustment, add_entry, add_round, add_veto


def test_an_entry_maps_to_the_engine_with_its_bundle_fields(world: World) -> None:
    # given an entry with persons, a description and a decided amount
    entry = add_entry(
        world.year,
        world.js,
        "1.report_missed",
        office="ZH",
        count=2,
        amount=Decimal("0.25"),
        description="迟报",
        decision_method="collective",
        decision_meeting="第3次考核办会议",
    )
    entry.persons.set(Person.objects.filter(department=world.js))
    # when it is mapped
    mapped = entry.to_engine()
    # then the engine gets its exact amount, its count, and the product's optional fields
    assert mapped == engine.Entry(
        "JS",
        "1.report_missed",
        "year",
        2,
        Fraction(1, 4),
        None,
        None,
        None,
        {
            "id": entry.ref,
            "office": "ZH",
            "persons": ["JS乙", "JS甲"],
            "description": "迟报",
            "decided_by": "集体评议",
            "meeting": "第3次考核办会议",
        },
        True,
    )


def test_an_entry_without_count_or_options_maps_to_quantity_one_and_nones(world: World) -> None:
    entry = add_entry(world.year, world.js, "1.report_missed", office="ZH", count=None)
    mapped = entry.to_engine()
    assert (mapped.quantity, mapped.has_count, mapped.amount) == (1, False, None)
    assert (mapped.modifier, mapped.same_work) == (None, None)
    assert mapped.extra == {"id": entry.ref, "office": "ZH"}


def test_a_ballot_maps_with_its_rounds_kind_and_period_and_no_empty_group(world: World) -> None:
    round = add_round(world.year, "style", "H1", [{"JS": "excellent"}])
    ballot = Ballot.objects.get(round=round)
    expected = engine.Ballot("style", "H1", {"JS": "excellent"}, str(ballot.id), None)
    assert ballot.to_engine() == expected
    assert ballot.to_engine(round) == expected
    ballot.group = "处级干部"
    assert ballot.to_engine(round).group == "处级干部"


def test_an_assessed_department_maps_with_the_years_type_and_its_parent(world: World) -> None:
    Department.objects.filter(pk=world.js.pk).update(parent="经信委")
    assessed = YearDepartment.objects.select_related("department").get(department=world.js)
    assert assessed.to_engine() == engine.Department("JS", "技术进步处", "service", "经信委")
    bg = YearDepartment.objects.select_related("department").get(department=world.bg)
    assert bg.to_engine() == engine.Department("BG", "办公室", "general", None)


def test_an_adjustment_maps_to_an_exact_amount(world: World) -> None:
    adjustment = add_adjustment(world.year, world.js, "-0.3333", "通报")
    assert adjustment.to_engine() == engine.Adjustment(
        "JS", Fraction("-0.3333"), "通报", "党组会", None
    )


def test_a_veto_maps_with_its_facts_and_reference(world: World) -> None:
    veto = add_veto(world.year, world.xx)
    veto.ref = "FJ-1"
    assert veto.to_engine() == engine.Veto("XX", "criticised", "通报批评", "FJ-1")
