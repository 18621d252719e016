"""What changed between two schemes (e.g. 2016 → 2017), as a list of changes.

Each change carries a code (what kind of change), the subject it concerns (a category, item,
rule … named as the newer scheme names it), and the values before and after as short texts.
The web words the codes in Chinese (kaohe/years/schemediff.py); `kaohe scheme diff` prints the
English of `Change.text`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from kaohe.engine.numbers import plain
from kaohe.engine.scheme.model import HONOR_KEYS, KINDS, Category, Item, Rule, Scheme

# Every code scheme_diff gives, with its English wording for the command line.
CHANGE_CODES: Mapping[str, str] = {
    "scheme_name": "the scheme's name",
    "office_added": "office added",
    "office_removed": "office removed",
    "office_renamed": "office renamed",
    "category_added": "category added",
    "category_removed": "category removed",
    "category_renamed": "category renamed",
    "category_points": "category points",
    "item_added": "item added",
    "item_removed": "item removed",
    "item_renamed": "item title",
    "item_offices": "item's offices",
    "rule_added": "rule added",
    "rule_removed": "rule removed",
    "rule_renamed": "rule name",
    "rule_moved": "rule moved to another item",
    "rule_direction": "rule direction",
    "rule_kind": "rule kind",
    "rule_unit": "rule unit",
    "rule_amount": "amount",
    "rule_min": "range minimum",
    "rule_max": "range maximum",
    "rule_quota": "quota",
    "rule_once_a_year": "once a year",
    "rule_offices": "rule's offices",
    "modifier_added": "modifier added",
    "modifier_removed": "modifier removed",
    "modifier_renamed": "modifier name",
    "modifier_factor": "modifier factor",
    "grade_added": "grade added",
    "grade_removed": "grade removed",
    "grade_renamed": "grade name",
    "grade_coefficient": "grade coefficient",
    "kind_renamed": "evaluation name",
    "kind_points": "evaluation points",
    "round_added": "round added",
    "round_removed": "round removed",
    "round_weight": "round weight",
    "option": "ballot option",
    "honor_size": "honor size",
    "veto_reason": "veto reason",
}


@dataclass(frozen=True)
class Change:
    """One difference: its code, what it concerns, an optional detail (a department type, a
    period …) and the values before and after ("" where there is none)."""

    code: str
    subject: str
    detail: str = ""
    before: str = ""
    after: str = ""

    @property
    def text(self) -> str:
        """The change in English, for the command line."""
        what = CHANGE_CODES[self.code]
        detail = f" ({self.detail})" if self.detail else ""
        values = f": {self.before or '-'} -> {self.after or '-'}"
        return f"{what}{detail}: {self.subject}{values}"


def scheme_diff(a: Scheme, b: Scheme) -> list[Change]:
    """Every change from scheme a to scheme b, in the order of the scheme's document."""
    return [
        *_named("scheme_name", "", {"": a.name}, {"": b.name}, lambda _c, _n: b.id),
        *_map_changes("office", a.offices, b.offices),
        *_categories(a, b),
        *_items(a, b),
        *_rules(a, b),
        *_evaluation(a, b),
        *_honors(a, b),
        *_vetoes(a, b),
    ]


def _n(value: Fraction | int | None) -> str:
    return "" if value is None else plain(value)


def _named(
    code: str,
    detail: str,
    old: Mapping[str, str],
    new: Mapping[str, str],
    subject: Callable[[str, str], str],
) -> Iterator[Change]:
    """A change of a text kept under the same key in both maps."""
    for key, text in new.items():
        if key in old and old[key] != text:
            yield Change(code, subject(key, text), detail, old[key], text)


def _map_changes(noun: str, old: Mapping[str, str], new: Mapping[str, str]) -> Iterator[Change]:
    """Codes added, removed or renamed in a code → name map."""
    for code, name in new.items():
        if code not in old:
            yield Change(f"{noun}_added", f"{name} ({code})", after=name)
    for code, name in old.items():
        if code not in new:
            yield Change(f"{noun}_removed", f"{name} ({code})", before=name)
    yield from _named(f"{noun}_renamed", "", old, new, lambda c, n: c)


def _categories(a: Scheme, b: Scheme) -> Iterator[Change]:
    old: dict[str, Category] = {c.code: c for c in a.categories}
    new: dict[str, Category] = {c.code: c for c in b.categories}
    for code, c in new.items():
        if code not in old:
            yield Change("category_added", c.name, after=_n(c.points))
            continue
        o = old[code]
        if o.name != c.name:
            yield Change("category_renamed", c.name, before=o.name, after=c.name)
        if o.points != c.points:
            yield Change("category_points", c.name, before=_n(o.points), after=_n(c.points))
    for code, o in old.items():
        if code not in new:
            yield Change("category_removed", o.name, before=_n(o.points))


def _offices(scheme: Scheme, codes: tuple[str, ...]) -> str:
    return "、".join(scheme.offices.get(c, c) for c in codes)


def _items(a: Scheme, b: Scheme) -> Iterator[Change]:
    old: Mapping[int, Item] = a.items
    for number, item in b.items.items():
        subject = f"{number}、{item.title}"
        if number not in old:
            yield Change("item_added", subject, after=item.title)
            continue
        o = old[number]
        if o.title != item.title:
            yield Change("item_renamed", subject, before=o.title, after=item.title)
        if o.offices != item.offices:
            before, after = _offices(a, o.offices), _offices(b, item.offices)
            yield Change("item_offices", subject, before=before, after=after)
    for number, o in old.items():
        if number not in b.items:
            yield Change("item_removed", f"{number}、{o.title}", before=o.title)


def _rules(a: Scheme, b: Scheme) -> Iterator[Change]:
    for rule_id, rule in b.rules.items():
        if rule_id not in a.rules:
            yield Change("rule_added", rule.name, str(rule.item), after=_rule_amount(rule))
        else:
            yield from _rule(a, b, a.rules[rule_id], rule)
    for rule_id, o in a.rules.items():
        if rule_id not in b.rules:
            yield Change("rule_removed", o.name, str(o.item), before=_rule_amount(o))


def _rule_amount(rule: Rule) -> str:
    if rule.amount is not None:
        return _n(rule.amount)
    return f"{_n(rule.min)}–{_n(rule.max)}"


def _rule(a: Scheme, b: Scheme, o: Rule, r: Rule) -> Iterator[Change]:
    """The changes of one rule kept under its id."""
    s = r.name
    pairs = [
        ("rule_renamed", "", o.name, r.name),
        ("rule_moved", "", str(o.item), str(r.item)),
        ("rule_direction", "", o.direction, r.direction),
        ("rule_kind", "", o.kind, r.kind),
        ("rule_unit", "", o.unit, r.unit),
        ("rule_amount", "", _n(o.amount), _n(r.amount)),
        ("rule_min", "", _n(o.min), _n(r.min)),
        ("rule_max", "", _n(o.max), _n(r.max)),
        *(
            ("rule_quota", t, _n(o.quota.get(t)), _n(r.quota.get(t)))
            for t in dict.fromkeys([*o.quota, *r.quota])
        ),
        ("rule_once_a_year", "", _yes(o.once_a_year), _yes(r.once_a_year)),
        ("rule_offices", "", _offices(a, o.offices), _offices(b, r.offices)),
    ]
    for code, detail, before, after in pairs:
        if before != after:
            yield Change(code, s, detail, before, after)
    for code, m in r.modifiers.items():
        old = o.modifiers.get(code)
        if old is None:
            yield Change("modifier_added", s, m.name, after=_n(m.factor))
            continue
        if old.name != m.name:
            yield Change("modifier_renamed", s, code, old.name, m.name)
        if old.factor != m.factor:
            yield Change("modifier_factor", s, m.name, _n(old.factor), _n(m.factor))
    for code, old in o.modifiers.items():
        if code not in r.modifiers:
            yield Change("modifier_removed", s, old.name, before=_n(old.factor))


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _evaluation(a: Scheme, b: Scheme) -> Iterator[Change]:
    for code, g in b.grades.items():
        old = a.grades.get(code)
        if old is None:
            yield Change("grade_added", g.name, after=_n(g.coefficient))
            continue
        if old.name != g.name:
            yield Change("grade_renamed", g.name, before=old.name, after=g.name)
        if old.coefficient != g.coefficient:
            yield Change("grade_coefficient", g.name, "", _n(old.coefficient), _n(g.coefficient))
    for code, old in a.grades.items():
        if code not in b.grades:
            yield Change("grade_removed", old.name, before=_n(old.coefficient))
    for code in KINDS:
        yield from _kind(a, b, code)
    for option in ("drop_extremes_min_grades", "excellent_max_share"):
        before, after = getattr(a.options, option), getattr(b.options, option)
        if before != after:
            yield Change("option", option, "", _n(before), _n(after))


def _kind(a: Scheme, b: Scheme, code: str) -> Iterator[Change]:
    old, k = a.kinds[code], b.kinds[code]
    if old.name != k.name:
        yield Change("kind_renamed", k.name, before=old.name, after=k.name)
    for t, points in k.points.items():
        if old.points.get(t) != points:
            yield Change("kind_points", k.name, t, _n(old.points.get(t)), _n(points))
    old_rounds = {r.period: r for r in old.rounds}
    new_rounds = {r.period: r for r in k.rounds}
    for period, r in new_rounds.items():
        if period not in old_rounds:
            yield Change("round_added", k.name, period, after=_n(r.weight))
        elif old_rounds[period].weight != r.weight:
            before = _n(old_rounds[period].weight)
            yield Change("round_weight", k.name, period, before, _n(r.weight))
    for period, r in old_rounds.items():
        if period not in new_rounds:
            yield Change("round_removed", k.name, period, before=_n(r.weight))


def _honors(a: Scheme, b: Scheme) -> Iterator[Change]:
    for key in HONOR_KEYS:
        before, after = getattr(a.honors, key), getattr(b.honors, key)
        if before != after:
            yield Change("honor_size", key, "", str(before), str(after))


def _vetoes(a: Scheme, b: Scheme) -> Iterator[Change]:
    yield from _named("veto_reason", "", a.veto_reasons, b.veto_reasons, lambda c, _n: c)
