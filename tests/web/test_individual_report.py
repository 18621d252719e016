"""The individual report (issue 12.4, seed §六.3): persons on confirmed 人次 entries, their entries
and the points attributed to them by their times; who sees it; its workbook; the ledger's
filter by person."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.ledger.models import Entry, EntryPerson
from kaohe.ledger.persons import individual_report
from kaohe.org.models import Person
from tests.web.conftest import World
from tests.web.factories import add_entry

pytestmark = pytest.mark.django_db


def _named(entry: Entry, **times: int) -> Entry:
    for name, n in times.items():
        EntryPerson.objects.create(entry=entry, person=Person.objects.get(name=name), times=n)
    return entry


def _entries(world: World) -> dict[str, Entry]:
    """JS: 3 study absences (0.2 each: −0.6) by JS甲 ×2, JS乙 ×1; one bonus for JS甲 (0.5);
    XX: one absence by XX甲; and a JS entry still submitted, which does not count."""
    return {
        "absence": _named(
            add_entry(world.year, world.js, "4.study_absence", period="H1", count=3), JS甲=2, JS乙=1
        ),
        "bonus": _named(add_entry(world.year, world.js, "6.participation", count=1), JS甲=1),
        "xx": _named(
            add_entry(world.year, world.xx, "4.study_absence", period="H1", count=1), XX甲=1
        ),
        "submitted": _named(
            add_entry(
                world.year, world.js, "4.study_absence", period="H2", count=1, status="submitted"
            ),
            JS乙=1,
        ),
    }


def test_each_persons_points_are_the_entry_amounts_shared_by_their_times(world: World) -> None:
    _entries(world)
    lines = {line.person.name: line for line in individual_report(world.year, None)}
    assert set(lines) == {"JS甲", "JS乙", "XX甲"}  # the submitted entry names nobody yet
    a = lines["JS甲"]
    assert [(e.times, e.total_times, e.amount, e.share) for e in a.entries] == [
        (2, 3, Fraction(-3, 5), Fraction(-2, 5)),
        (1, 1, Fraction(1, 2), Fraction(1, 2)),
    ]
    assert a.total == Fraction(1, 10)
    assert a.person.department == world.js
    assert lines["JS乙"].total == Fraction(-1, 5)
    assert lines["XX甲"].total == Fraction(-1, 5)


def test_the_shares_of_an_entry_add_up_to_its_amount(world: World) -> None:
    _entries(world)
    shares = [
        e.share
        for line in individual_report(world.year, None)
        for e in line.entries
        if e.entry.rule_id == "4.study_absence" and e.entry.department == world.js
    ]
    assert sum(shares) == Fraction(-3, 5)


@pytest.mark.parametrize(
    ("persona", "status", "names"),
    [
        ("office", 200, {"JS甲", "JS乙", "XX甲"}),
        ("clerk_rs", 200, {"JS甲", "JS乙", "XX甲"}),  # 组织人事处
        ("head_js", 200, {"JS甲", "JS乙"}),  # their own department's persons only
        ("liaison_js", 403, None),
        ("head_xx", 200, {"XX甲"}),
        ("clerk_zh", 403, None),
        ("leader", 403, None),
        ("outsider", 403, None),
    ],
)
def test_the_report_is_for_personnel_the_office_and_the_persons_head(
    world: World, persona: str, status: int, names: set[str] | None
) -> None:
    _entries(world)
    response = world.client(getattr(world, persona)).get(reverse("ledger:persons", args=[2016]))
    assert response.status_code == status
    if names is not None:
        shown = {line.person.name for line in response.context["lines"]}
        assert shown == names


def test_the_page_prints_rounded_shares_and_the_exact_total(world: World) -> None:
    _entries(world)
    page = world.client(world.office).get(reverse("ledger:persons", args=[2016])).content.decode()
    assert "-0.40" in page and "0.10" in page
    assert "人次" in page or "次" in page


def test_the_workbook_has_a_row_per_entry_and_each_persons_total_as_text_safe_cells(
    world: World,
) -> None:
    entries = _entries(world)
    entries["absence"].description = '=HYPERLINK("x")'
    Person.objects.filter(name="JS甲").update(name="=1+1")
    response = world.client(world.clerk_rs).get(reverse("ledger:persons_xlsx", args=[2016]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    named = [r for r in rows if r[0] == "=1+1"]
    assert [r[3] for r in named][-1] == "合计"
    assert named[-1][9] == pytest.approx(0.1, abs=1e-12)
    cell = next(c for c in ws["A"] if c.value == "=1+1")
    assert cell.data_type == "s"  # the name is text, never a formula


def test_the_ledger_filters_by_person(world: World) -> None:
    entries = _entries(world)
    jia = Person.objects.get(name="JS甲")
    url = reverse("ledger:entries", args=[2016])
    response = world.client(world.office).get(url, {"person": jia.pk})
    shown = {row.entry.pk for row in response.context["rows"]}
    assert shown == {entries["absence"].pk, entries["bonus"].pk}
    # A person named on no entry the user sees is not offered, and is ignored if asked for.
    head = world.client(world.head_xx).get(url, {"person": jia.pk})
    assert str(jia.pk) not in dict(head.context["form"].fields["person"].choices)
    assert entries["xx"].pk in {row.entry.pk for row in head.context["rows"]}


def test_a_person_asked_for_shows_their_lines_alone(world: World) -> None:
    _entries(world)
    jia = Person.objects.get(name="JS甲")
    response = world.client(world.office).get(
        reverse("ledger:persons", args=[2016]), {"person": jia.pk}
    )
    assert [line.person.name for line in response.context["lines"]] == ["JS甲"]
    for bad in ("x", "-1", "9" * 30):
        ok = world.client(world.office).get(reverse("ledger:persons", args=[2016]), {"person": bad})
        assert ok.status_code == 200
