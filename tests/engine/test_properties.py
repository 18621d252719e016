"""Invariants of rules.md over random years (Hypothesis), and garbage that must only be refused."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaohe.engine import InvalidInput, builtin_scheme, compute, parse_bundle, parse_bundle_bytes
from kaohe.engine.numbers import plain
from kaohe.engine.output import render_csv, render_json, render_table, results_document
from kaohe.engine.scheme import Rule
from tests.engine.builders import adjustment, ballot, bundle, department, run, veto

SCHEME = builtin_scheme("cz-jxw-2016")
RULES = sorted(SCHEME.rules.values(), key=lambda r: r.id)
DEDUCTIONS = [r for r in RULES if not r.is_bonus and r.kind != "shortfall" and not r.once_a_year]
CODES = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N"]
GRADES = list(SCHEME.grades)
HONORS = ("advanced", "recommended", "praised", "progress", "bottom")
Doc = dict[str, Any]


def _entry_for(draw: Any, dep: str, rule: Rule, used: set[tuple[str, ...]]) -> Doc | None:
    """A valid entry of `rule` for `dep`, or None if the rule allows no more for it."""
    e: Doc = {"department": dep, "rule": rule.id}
    if rule.kind == "shortfall":
        period = draw(st.sampled_from(["H1", "H2"]))
        if (dep, rule.id, period) in used:
            return None
        used.add((dep, rule.id, period))
        return {**e, "period": period, "actual": draw(st.integers(0, 8))}
    e["period"] = draw(st.sampled_from(["H1", "H2", "year"]))
    if rule.once_a_year:
        if (dep, rule.id) in used:
            return None
        used.add((dep, rule.id))
    else:
        e["count"] = draw(st.integers(1, 4))
    if rule.kind == "range":
        assert rule.min is not None and rule.max is not None
        step = draw(st.integers(0, 4))
        e["amount"] = plain(rule.min + (rule.max - rule.min) * step / 4)
    modifier = draw(st.sampled_from([None, *rule.modifiers]))
    if modifier:
        e["modifiers"] = [modifier]
    if rule.is_bonus:
        work = draw(st.sampled_from([None, "", "w1", "w2"]))
        if work is not None:
            e["same_work"] = work
    return e


@st.composite
def years(draw: Any, max_departments: int = 14, max_entries: int = 16) -> Doc:
    """A random valid bundle of the 2016 scheme."""
    n = draw(st.integers(1, max_departments))
    codes = CODES[:n]
    types = draw(st.lists(st.sampled_from(["service", "general"]), min_size=n, max_size=n))
    deps = [department(c, t) for c, t in zip(codes, types, strict=True)]
    rated = {
        k: [c for c, t in zip(codes, types, strict=True) if SCHEME.kinds[k].rates(t)]
        for k in SCHEME.kinds
    }
    used: set[tuple[str, ...]] = set()
    entries = []
    for _ in range(draw(st.integers(0, max_entries))):
        e = _entry_for(draw, draw(st.sampled_from(codes)), draw(st.sampled_from(RULES)), used)
        if e is not None:
            entries.append(e)
    ballots = []
    for _ in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(sorted(SCHEME.kinds)))
        rnd = draw(st.sampled_from([r.period for r in SCHEME.kinds[kind].rounds]))
        grades = {}
        for code in rated[kind]:
            grade = draw(st.sampled_from([None, *GRADES]))
            if grade:
                grades[code] = grade
        ballots.append(ballot(kind, rnd, grades))
    adjustments = [
        adjustment(
            draw(st.sampled_from(codes)), plain(Fraction(draw(st.integers(-3000, 3000)), 100))
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    vetoed = draw(st.lists(st.sampled_from(codes), max_size=3))
    previous = draw(
        st.dictionaries(st.sampled_from(codes), st.integers(1, max_departments + 3), max_size=n)
    )
    return bundle(
        deps,
        entries=entries,
        ballots=ballots,
        adjustments=adjustments,
        vetoes=[veto(c) for c in vetoed],
        previous_ranks=previous,
    )


@given(years())
def test_deductions_never_take_a_category_below_zero(doc: Doc) -> None:
    # given a random year / when computed
    results = run(doc)
    bonus_categories = {
        (e["department"], SCHEME.rules[e["rule"]].category)
        for e in doc["entries"]
        if SCHEME.rules[e["rule"]].is_bonus
    }
    points = {c.code: c.points for c in SCHEME.categories}
    # then no category is below zero, nor above its points without a bonus
    for d in results.departments:
        for code, score in d.categories.items():
            assert score >= 0
            if (d.code, code) not in bonus_categories:
                assert score <= points[code]


@given(years())
def test_figures_add_up_exactly_and_ranks_are_competition_ranks(doc: Doc) -> None:
    # given a random year / when computed
    results = run(doc)
    # then content, evaluation and total are exact sums; rank = 1 + number strictly better
    keys = {d.code: (d.total, d.content, d.evaluation_total) for d in results.departments}
    for d in results.departments:
        assert d.content == sum(d.categories.values())
        assert d.evaluation_total == sum(d.evaluation.values())
        assert d.total == d.content + d.evaluation_total + d.adjustment
        assert d.rank == 1 + sum(1 for k in keys.values() if k > keys[d.code])
        assert ("tie" in d.flags) == (list(keys.values()).count(keys[d.code]) > 1)
    order = [(d.rank, d.code) for d in results.departments]
    assert order == sorted(order)


@given(years(), st.data())
def test_one_more_deduction_never_raises_any_of_that_departments_figures(
    doc: Doc, data: st.DataObject
) -> None:
    # given a random year and one more deduction for one of its departments
    code = data.draw(st.sampled_from([d["code"] for d in doc["departments"]]))
    rule = data.draw(st.sampled_from(DEDUCTIONS))
    extra = _entry_for(data.draw, code, rule, set())
    assert extra is not None
    more = copy.deepcopy(doc)
    more["entries"].append(extra)
    # when both are computed
    before, after = run(doc).get(code), run(more).get(code)
    # then no figure of that department went up, and its rank did not improve
    for category, score in after.categories.items():
        assert score <= before.categories[category]
    assert after.content <= before.content
    assert after.total <= before.total
    assert after.evaluation == before.evaluation
    assert after.rank >= before.rank


@given(years(), st.randoms(use_true_random=False))
def test_shuffling_entries_ballots_and_departments_changes_nothing(doc: Doc, rnd: Any) -> None:
    # given a random year and the same year with every list shuffled
    shuffled = copy.deepcopy(doc)
    for key in ("departments", "entries", "ballots", "adjustments", "vetoes"):
        rnd.shuffle(shuffled[key])
    items = list(shuffled["previous_ranks"].items())
    rnd.shuffle(items)
    shuffled["previous_ranks"] = dict(items)
    # when both are computed / then the results documents are identical
    assert results_document(run(shuffled)) == results_document(run(doc))


@given(years())
def test_a_vetoed_department_never_has_an_honor(doc: Doc) -> None:
    # given a random year / when computed
    results = run(doc)
    vetoed = {v["department"] for v in doc["vetoes"]}
    # then vetoed departments hold at most `bottom` (which is a mark, not an honor)
    for d in results.departments:
        assert d.vetoed == (d.code in vetoed)
        if d.vetoed:
            assert set(d.honors) <= {"bottom"}


@given(years())
def test_honor_sizes_hold_except_under_boundary_tie(doc: Doc) -> None:
    # given a random year / when computed
    results = run(doc)
    sizes = SCHEME.honors
    eligible = [d for d in results.departments if not d.vetoed]
    # then each honor is within its size unless one of its holders is flagged boundary_tie
    for honor in HONORS:
        holders = [d for d in results.departments if honor in d.honors]
        if not any("boundary_tie" in d.flags for d in holders):
            assert len(holders) <= getattr(sizes, honor)
    advanced = [d for d in eligible if "advanced" in d.honors]
    assert len(advanced) >= min(sizes.advanced, len(eligible))
    bottom = [d for d in results.departments if "bottom" in d.honors]
    assert len(bottom) >= min(sizes.bottom, len(results.departments))
    # and honors and flags come in the fixed order
    for d in results.departments:
        assert list(d.honors) == [h for h in HONORS if h in d.honors]
        assert not ({"advanced", "praised"} <= set(d.honors))
        assert not ({"progress"} & set(d.honors) and {"advanced", "praised"} & set(d.honors))


@given(years())
def test_honors_follow_eligible_places(doc: Doc) -> None:
    # given a random year / when computed
    results = run(doc)
    eligible = [d for d in results.departments if not d.vetoed]
    # then an advanced department is never below a non-advanced eligible one, same for praised
    for better, worse in zip(eligible, eligible[1:], strict=False):
        if "advanced" in worse.honors:
            assert "advanced" in better.honors
        if "praised" in worse.honors:
            assert {"advanced", "praised"} & set(better.honors)


@given(years())
def test_printing_every_format_never_fails(doc: Doc) -> None:
    # given a random year / when rendered in every format
    results = run(doc)
    scheme = SCHEME
    text = render_json(results)
    render_csv(results, scheme)
    render_table(results, scheme)
    # then the JSON has exactly two places everywhere and no -0.00
    assert "-0.00" not in text
    printed = json.loads(text)
    for row in printed["departments"]:
        for value in [*row["categories"].values(), *row["evaluation"].values(), row["total"]]:
            assert len(value.rpartition(".")[2]) == 2


# --- garbage -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.sampled_from(["A", "service", "general", "H1", "year", "excellent", "1.target_unmet"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _only_invalid_input(data: bytes | str) -> None:
    """Parse; a bundle must compute and render, anything else must be InvalidInput."""
    try:
        parsed = parse_bundle_bytes(data)
    except InvalidInput as exc:
        assert exc.problems
        for p in exc.problems:
            assert isinstance(p.location, str) and p.message
        return
    results = compute(parsed)
    render_json(results)
    render_table(results, parsed.scheme)


def _refused(data: bytes | str) -> None:
    """Parse; it must be refused with InvalidInput naming where, never accepted."""
    with pytest.raises(InvalidInput) as refused:
        parse_bundle_bytes(data)
    assert refused.value.problems
    for p in refused.value.problems:
        assert isinstance(p.location, str) and p.message


@given(json_values)
def test_random_json_values_are_only_ever_refused(value: Any) -> None:
    # given any JSON value / when parsed as a bundle / then InvalidInput and nothing else: a
    # random value lacks at least the "format": "kaohe-bundle/1" a bundle needs
    _refused(json.dumps(value))


@given(st.binary(max_size=200))
def test_random_bytes_are_only_ever_refused(data: bytes) -> None:
    # given any bytes / when parsed as a bundle / then InvalidInput and nothing else
    _refused(data)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


@given(years(max_departments=5, max_entries=8), st.data())
def test_mutated_valid_bundles_are_computed_or_refused(doc: Doc, data: st.DataObject) -> None:
    # given a valid bundle with one to three random changes
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = data.draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=6))] = data.draw(json_values)
        else:
            parent.append(data.draw(json_values))
    # when parsed / then it computes, or is refused with InvalidInput only
    _only_invalid_input(json.dumps(doc, ensure_ascii=False))


@given(years(max_departments=4, max_entries=6), st.data())
def test_bundle_text_with_flipped_bytes_is_computed_or_refused(
    doc: Doc, data: st.DataObject
) -> None:
    # given a valid bundle's text with a few bytes changed
    text = bytearray(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text) - 1))
        text[at] = data.draw(st.integers(0, 255))
    # when parsed / then it computes, or is refused with InvalidInput only
    _only_invalid_input(bytes(text))


@given(st.data())
def test_mutated_inline_schemes_are_computed_or_refused(data: st.DataObject) -> None:
    # given a bundle carrying the 2016 scheme inline with one random change in the scheme
    scheme = SCHEME.copy_document(new_id="mutated")
    paths = [p for p in _paths(scheme) if p]
    path = data.draw(st.sampled_from(paths))
    parent: Any = scheme
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()):
        parent[path[-1]] = data.draw(json_values)
    else:
        del parent[path[-1]]
    doc = bundle(
        [department("A", "service"), department("B", "general")],
        ballots=[ballot("leader", "year", {"A": "good", "B": "fair"})],
        scheme=scheme,
    )
    # when parsed / then it computes, or is refused with InvalidInput only
    _only_invalid_input(json.dumps(doc, ensure_ascii=False))


@given(json_values)
def test_decoded_garbage_is_only_ever_refused_by_parse_bundle(value: Any) -> None:
    # given a decoded value of any shape (real floats included) / when validated
    # then it is refused with InvalidInput, never another exception, and never accepted: a random
    # value lacks at least the "format": "kaohe-bundle/1" a bundle needs
    with pytest.raises(InvalidInput):
        parse_bundle(value)


# --- an independent reading of rules.md --------------------------------------------------


def _oracle(doc: Doc) -> dict[str, dict[str, Any]]:
    """Every department's figures, rank, honors and flags, computed directly from rules.md."""
    options = doc["scheme"]["evaluation"]["options"] if isinstance(doc["scheme"], dict) else {}
    drop_at, share = options.get("drop_extremes_min_grades"), options.get("excellent_max_share")
    share = None if share is None else Fraction(share)
    types = {d["code"]: d["type"] for d in doc["departments"]}
    out: dict[str, dict[str, Any]] = {}
    deductions = {(c, k.code): Fraction(0) for c in types for k in SCHEME.categories}
    bonuses = dict(deductions)
    same_work: dict[tuple[str, int, str], list[tuple[Fraction, str]]] = {}
    for e in doc["entries"]:
        rule = SCHEME.rules[e["rule"]]
        if rule.kind == "shortfall":
            assert rule.amount is not None
            amount = rule.amount * max(0, rule.quota[types[e["department"]]] - e["actual"])
        else:
            unit = Fraction(e["amount"]) if rule.kind == "range" else rule.amount
            assert unit is not None
            amount = unit * e.get("count", 1)
            for m in e.get("modifiers", []):
                amount *= rule.modifiers[m].factor
        key = (e["department"], rule.category)
        if not rule.is_bonus:
            deductions[key] += amount
        elif e.get("same_work"):
            same_work.setdefault((e["department"], rule.item, e["same_work"]), []).append(
                (amount, rule.category)
            )
        else:
            bonuses[key] += amount
    for (code, _, _), members in same_work.items():
        amount, category = max(members)
        bonuses[(code, category)] += amount
    coefficient = {g.code: g.coefficient for g in SCHEME.grades.values()}
    valid = [
        b
        for b in doc["ballots"]
        if b["grades"]
        and (
            share is None
            or sum(g == "excellent" for g in b["grades"].values()) <= share * len(b["grades"])
        )
    ]
    for code, t in types.items():
        categories = {
            c.code: c.points - min(c.points, deductions[(code, c.code)]) + bonuses[(code, c.code)]
            for c in SCHEME.categories
        }
        evaluation, flags = {}, set()
        for kind in SCHEME.kinds.values():
            points = kind.points[t]
            held = []
            for r in kind.rounds:
                grades = sorted(
                    coefficient[b["grades"][code]]
                    for b in valid
                    if b["kind"] == kind.code and b["round"] == r.period and code in b["grades"]
                )
                if drop_at is not None and len(grades) >= drop_at:
                    grades = grades[1:-1]
                if grades:
                    held.append((r.weight, points * sum(grades) / len(grades)))
            if points > 0 and not held:
                flags.add(f"no_grades:{kind.code}")
            weight = sum(w for w, _ in held)
            evaluation[kind.code] = sum(w * p for w, p in held) / weight if held else Fraction(0)
        adjustment = sum(
            (Fraction(a["amount"]) for a in doc["adjustments"] if a["department"] == code),
            Fraction(0),
        )
        content = sum(categories.values())
        total = content + sum(evaluation.values()) + adjustment
        out[code] = {
            "categories": categories,
            "content": content,
            "evaluation": evaluation,
            "total": total,
            "key": (total, content, sum(evaluation.values())),
            "vetoed": any(v["department"] == code for v in doc["vetoes"]),
            "honors": set(),
            "flags": flags,
        }
    sizes = SCHEME.honors

    def award(members: list[str], place: Any, group: Any, size: int, honor: str) -> None:
        for code in members:
            if place(code) <= size:
                out[code]["honors"].add(honor)
                if place(code) + len(group(code)) - 1 > size:
                    out[code]["flags"].add("boundary_tie")

    everyone = list(out)
    key = {c: out[c]["key"] for c in everyone}
    for c in everyone:
        out[c]["rank"] = 1 + sum(key[o] > key[c] for o in everyone)
        if sum(key[o] == key[c] for o in everyone) > 1:
            out[c]["flags"].add("tie")
    eligible = [c for c in everyone if not out[c]["vetoed"]]

    def place(c: str) -> int:
        return 1 + sum(key[o] > key[c] for o in eligible)

    def group(c: str) -> list[str]:
        return [o for o in eligible if key[o] == key[c]]

    award(eligible, place, group, sizes.recommended, "recommended")
    award(eligible, place, group, sizes.advanced, "advanced")
    award(
        [c for c in eligible if place(c) > sizes.advanced],
        place,
        group,
        sizes.advanced + sizes.praised,
        "praised",
    )
    previous = doc.get("previous_ranks", {})
    risers = [
        c
        for c in eligible
        if not out[c]["honors"] & {"advanced", "praised"}
        and c in previous
        and previous[c] - out[c]["rank"] > 0
    ]
    order = {c: (-(previous[c] - out[c]["rank"]), out[c]["rank"]) for c in risers}
    award(
        risers,
        lambda c: 1 + sum(order[o] < order[c] for o in risers),
        lambda c: [o for o in risers if order[o] == order[c]],
        sizes.progress,
        "progress",
    )
    award(
        everyone,
        lambda c: 1 + sum(key[o] < key[c] for o in everyone),
        lambda c: [o for o in everyone if key[o] == key[c]],
        sizes.bottom,
        "bottom",
    )
    return out


@st.composite
def tie_prone_years(draw: Any) -> Doc:
    """Years with many departments, few entries, coarse adjustments and options: many ties."""
    doc = draw(years(max_departments=14, max_entries=4))
    codes = [d["code"] for d in doc["departments"]]
    doc["adjustments"] = [
        adjustment(draw(st.sampled_from(codes)), str(draw(st.integers(-2, 2))))
        for _ in range(draw(st.integers(0, 8)))
    ]
    if draw(st.booleans()):
        scheme = SCHEME.copy_document(new_id="options")
        scheme["evaluation"]["options"] = {
            "drop_extremes_min_grades": draw(st.sampled_from([None, 3, 4])),
            "excellent_max_share": draw(st.sampled_from([None, "0", "0.3", "0.5"])),
        }
        doc["scheme"] = scheme
    return doc


def _compare(doc: Doc) -> None:
    expected = _oracle(doc)
    results = run(doc)
    assert {d.code for d in results.departments} == set(expected)
    for d in results.departments:
        want = expected[d.code]
        assert dict(d.categories) == want["categories"], d.code
        assert d.content == want["content"], d.code
        assert dict(d.evaluation) == want["evaluation"], d.code
        assert d.total == want["total"], d.code
        assert d.rank == want["rank"], d.code
        assert set(d.honors) == want["honors"], d.code
        assert set(d.flags) == want["flags"], d.code


@given(years())
def test_engine_agrees_with_an_independent_reading_of_rules_md(doc: Doc) -> None:
    # given a random year / when computed by the engine and by the reading above
    # then every figure, rank, honor and flag is the same
    _compare(doc)


@given(tie_prone_years())
def test_engine_agrees_with_an_independent_reading_on_tie_prone_years(doc: Doc) -> None:
    # given a random year full of ties, sometimes with the ballot options on
    # when computed by the engine and by the reading above / then the same
    _compare(doc)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.integers() | st.booleans(), inner, max_size=2)
    ),
    max_leaves=30,
)


@given(_JSON_VALUES)
def test_results_json_is_written_as_json_dumps_writes_it(value: Any) -> None:
    """Given any JSON-like value, when the results' writer indents it, then the text is json.dumps's."""
    from kaohe.engine.output import _indented

    assert _indented(value, "") == json.dumps(value, ensure_ascii=False, indent=2)
