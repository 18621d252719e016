"""The individual report (seed §六.3: 处室得分中,能量化到个人的部分): the persons named on a
year's confirmed person-time (人次) entries, each entry's amount shared by their times.

A person's share of an entry is amount × their times / the entry's times in all
(engine.persons.person_shares), kept exact as a fraction: the shares of an entry add up to its
amount exactly, and a person's total is the exact sum of their shares. Pages print each figure
rounded to 2 places, half away from zero, from its exact value (rules.md §6), so the printed
shares of one entry may differ from its printed amount by 0.01; the workbook holds the exact
values (to 12 places where a share has no finite decimal form) under a two-place format.
Every person named is a staff record (org.Person) of a department, linked by the entry form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Prefetch

from kaohe.engine.persons import person_shares
from kaohe.ledger.models import Entry, EntryPerson, EntryStatus
from kaohe.ledger.selectors import department_types, points_of
from kaohe.org.models import Person
from kaohe.years.models import Year


@dataclass(frozen=True)
class PersonEntry:
    """One entry naming the person: their times of the entry's, the amount and their share."""

    entry: Entry
    rule_title: str
    times: int
    total_times: int
    amount: Fraction  # signed: a bonus adds, a deduction takes away
    share: Fraction


@dataclass(frozen=True)
class PersonLine:
    """A person of the report with their entries and their points in all (exact)."""

    person: Person
    entries: tuple[PersonEntry, ...]

    @property
    def total(self) -> Fraction:
        """The person's points: the exact sum of their shares."""
        return sum((e.share for e in self.entries), Fraction(0))

    @property
    def times(self) -> int:
        """The person-times in all."""
        return sum(e.times for e in self.entries)


def individual_report(
    year: Year, departments: set[int] | None, person: int | None = None
) -> list[PersonLine]:
    """The year's persons on confirmed entries (of `departments`, None for all), by department
    and name, each with their entries and shares. Three queries, whatever the size."""
    entries = Entry.objects.filter(
        year=year, status=EntryStatus.CONFIRMED, person_links__isnull=False
    )
    if departments is not None:
        entries = entries.filter(department_id__in=departments)
    links = Prefetch(
        "person_links", queryset=EntryPerson.objects.select_related("person__department")
    )
    found = entries.distinct().select_related("department").prefetch_related(links).order_by("ref")
    types = department_types(year)
    scheme = year.scheme
    lines: dict[int, list[PersonEntry]] = defaultdict(list)
    persons: dict[int, Person] = {}
    for e in found:
        rule = scheme.rules.get(e.rule_id)
        if rule is None:
            continue
        points = points_of(
            rule,
            department_type=types.get(e.department_id),
            count=e.count,
            actual=e.actual,
            amount=e.amount,
            modifier=e.modifier,
        )
        if points is None:
            continue
        amount = points if rule.is_bonus else -points
        times = {link.person: link.times for link in e.person_links.all()}
        shares = person_shares(amount, times)
        total = sum(times.values())
        title = scheme.items[rule.item].title if rule.item in scheme.items else ""
        for p, share in shares.items():
            if person is not None and p.pk != person:
                continue
            persons[p.pk] = p
            lines[p.pk].append(PersonEntry(e, title, times[p], total, amount, share))
    ordered = sorted(persons.values(), key=lambda p: (p.department.code, p.name, p.pk))
    return [PersonLine(p, tuple(lines[p.pk])) for p in ordered]
