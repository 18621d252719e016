"""The content part (考核内容): entry amounts, same-work groups, the deduction cap, bonuses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from kaohe.engine.bundle import Department, Entry
from kaohe.engine.results import CategoryTrail, EntryTrail
from kaohe.engine.scheme import Rule, Scheme
from kaohe.engine.vocabulary import RuleKind

# Every amount is a decimal of at most 12 places times a decimal factor of at most 12 places,
# so it is an exact integer number of 10**-24 points: sums run on integers at that scale.
SCALE = 10**24


def entry_amount(rule: Rule, entry: Entry, department_type: str) -> Fraction:
    """One entry's amount (rules.md §3): positive, subtracted for deductions, added for bonuses."""
    return Fraction(_unit_scaled(rule, entry) * _units(rule, entry, department_type), SCALE)


def _unit_scaled(rule: Rule, entry: Entry) -> int:
    """The amount per unit (decided amount for range rules, modifier applied), at SCALE."""
    base = entry.amount if rule.kind == RuleKind.RANGE else rule.amount
    assert base is not None
    factor = rule.modifiers[entry.modifier].factor if entry.modifier else Fraction(1)
    scaled = base * factor * SCALE
    assert scaled.denominator == 1, "amounts have at most 12 decimal places"
    return scaled.numerator


def _units(rule: Rule, entry: Entry, department_type: str) -> int:
    """How many units the entry counts: its count, or the missing quota for shortfall rules."""
    if rule.kind == RuleKind.SHORTFALL:
        assert entry.actual is not None
        return max(0, rule.quota[department_type] - entry.actual)
    return entry.quantity


# Over 40 lines: the one pass over every entry (100,000 at city scale) with its lookups hoisted.
def content_scores(
    scheme: Scheme, departments: Iterable[Department], entries: Iterable[Entry], *, trail: bool
) -> dict[str, tuple[dict[str, Fraction], tuple[CategoryTrail, ...]]]:
    """Each department's category scores (and trails): points − min(points, deductions) + bonuses."""
    types = {d.code: d.type for d in departments}
    # Per department, integer sums at SCALE: category i's deductions at 2i, its bonuses at 2i + 1.
    slots = {c.code: 2 * i for i, c in enumerate(scheme.categories)}
    sums = {code: [0] * (2 * len(slots)) for code in types}
    trails: dict[tuple[str, str], list[EntryTrail]] = {}
    groups: dict[tuple[str, int, str], list[tuple[int, int, Entry, Rule]]] = {}
    rules = scheme.rules
    # (rule, modifier, amount) → unit amount at SCALE, the rule, its slot in the sums, whether
    # it is a shortfall rule and a bonus: looked up once, not for every entry
    unit_cache: dict[tuple[str, str | None, Fraction | None], _Unit] = {}
    for index, e in enumerate(entries):
        # Unpacked at once: eight attribute lookups per entry would cost more than the sums.
        department, rule_id, _, quantity, amount, _, modifier, same_work, _, _ = e
        key = (rule_id, modifier, amount)
        cached = unit_cache.get(key)
        if cached is None:
            cached = unit_cache[key] = _unit(rules[rule_id], e, slots)
        unit, rule, slot, shortfall, bonus = cached
        value = unit * _units(rule, e, types[department]) if shortfall else unit * quantity
        if same_work and bonus:
            groups.setdefault((department, rule.item, same_work), []).append(
                (index, value, e, rule)
            )
            continue
        sums[department][slot] += value  # _add, inlined: this loop runs for every entry
        if trail:
            _note(trails, index, e, rule, value)
    for (_, _, work), members in groups.items():
        best = max(members, key=lambda m: m[1])  # the first of equal largest amounts counts
        for index, value, e, rule in members:
            if (index, value) == best[:2]:
                sums[e.department][_slot(slots, rule)] += value
                if trail:
                    _note(trails, index, e, rule, value, work)
            elif trail:
                trails.setdefault((e.department, rule.category), []).append(
                    EntryTrail(
                        index, e.rule, e.period, True, Fraction(value, SCALE), False, work, best[0]
                    )
                )
    points = [_scaled(c.points) for c in scheme.categories]
    return {code: _scores(scheme, points, sums[code], trails, code, trail) for code in types}


_Unit = tuple[int, Rule, int, bool, bool]


def _unit(rule: Rule, e: Entry, slots: Mapping[str, int]) -> _Unit:
    """What content_scores needs of an entry's rule, modifier and amount."""
    shortfall = rule.kind == RuleKind.SHORTFALL
    return _unit_scaled(rule, e), rule, _slot(slots, rule), shortfall, rule.is_bonus


def _slot(slots: Mapping[str, int], rule: Rule) -> int:
    """Where a rule's amounts are summed in a department's list: its category's deductions or bonuses."""
    return slots[rule.category] + rule.is_bonus


def _note(
    trails: dict[tuple[str, str], list[EntryTrail]],
    index: int,
    e: Entry,
    rule: Rule,
    value: int,
    same_work: str | None = None,
) -> None:
    """Record in the trail that an entry counted."""
    trails.setdefault((e.department, rule.category), []).append(
        EntryTrail(index, e.rule, e.period, rule.is_bonus, Fraction(value, SCALE), True, same_work)
    )


def _scores(
    scheme: Scheme,
    points: list[int],
    sums: list[int],
    trails: Mapping[tuple[str, str], list[EntryTrail]],
    code: str,
    trail: bool,
) -> tuple[dict[str, Fraction], tuple[CategoryTrail, ...]]:
    scores: dict[str, Fraction] = {}
    out: list[CategoryTrail] = []
    for i, c in enumerate(scheme.categories):
        deducted, added = sums[2 * i], sums[2 * i + 1]
        # points − min(points, deductions) + bonuses, in integers at SCALE: one Fraction, not five
        score = Fraction(points[i] - min(points[i], deducted) + added, SCALE)
        scores[c.code] = score
        if trail:
            deductions = Fraction(deducted, SCALE)
            bonuses = Fraction(added, SCALE)
            entries = tuple(sorted(trails.get((code, c.code), []), key=lambda t: t.index))
            out.append(CategoryTrail(c.code, c.points, deductions, bonuses, score, entries))
    return scores, tuple(out)


def _scaled(points: Fraction) -> int:
    """A scheme's decimal (at most 12 places) as an integer at SCALE."""
    scaled = points * SCALE
    assert scaled.denominator == 1, "points have at most 12 decimal places"
    return scaled.numerator
