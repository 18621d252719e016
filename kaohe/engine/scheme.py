"""The assessment scheme as data: categories, items, rules, evaluation kinds, honors, vetoes.

A scheme is a JSON document (format `kaohe-scheme/1`, documented in docs/scheme.md). Loading it
checks everything and names every problem with its location; the result is a frozen `Scheme`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from kaohe.engine.numbers import parse_number
from kaohe.engine.problems import InvalidInput, Problems
from kaohe.engine.vocabulary import HONORS, KINDS, RULE_KINDS, VETO_REASONS

SCHEME_FORMAT = "kaohe-scheme/1"
DEPARTMENT_TYPES = ("service", "general")
PERIODS = ("H1", "H2", "year")
HALF_YEARS = ("H1", "H2")
DIRECTIONS = ("deduct", "bonus")
HONOR_KEYS = HONORS


@dataclass(frozen=True)
class Modifier:
    """A factor applied to one entry's amount, e.g. `short` ×0.5 for a short article."""

    code: str
    name: str
    factor: Fraction


@dataclass(frozen=True)
class Rule:
    """One way an item deducts or adds points."""

    id: str
    name: str
    category: str
    item: int
    direction: str
    kind: str
    unit: str
    amount: Fraction | None
    min: Fraction | None
    max: Fraction | None
    quota: Mapping[str, int]
    modifiers: Mapping[str, Modifier]
    once_a_year: bool
    offices: tuple[str, ...]

    @property
    def is_bonus(self) -> bool:
        """Whether the rule adds points."""
        return self.direction == "bonus"


@dataclass(frozen=True)
class Item:
    """A numbered assessment item (1–18 in 2016) with its responsible offices."""

    number: int
    title: str
    offices: tuple[str, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Category:
    """A category of the content part, starting at its full points."""

    code: str
    name: str
    points: Fraction
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Grade:
    """A grade of the ballot scale and its coefficient."""

    code: str
    name: str
    coefficient: Fraction


@dataclass(frozen=True)
class Round:
    """A round of an evaluation kind, held in a period, with its weight."""

    period: str
    weight: Fraction


@dataclass(frozen=True)
class EvaluationKind:
    """Democratic, style or leader evaluation: points per department type and its rounds."""

    code: str
    name: str
    voters: str
    points: Mapping[str, Fraction]
    rounds: tuple[Round, ...]

    def rates(self, department_type: str) -> bool:
        """Whether departments of this type are rated in this kind (points > 0)."""
        return self.points[department_type] > 0

    def round(self, period: str) -> Round | None:
        """The round held in `period`, if the kind has one."""
        return next((r for r in self.rounds if r.period == period), None)


@dataclass(frozen=True)
class Options:
    """Optional ballot rules, off (None) by default."""

    drop_extremes_min_grades: int | None
    excellent_max_share: Fraction | None


@dataclass(frozen=True)
class HonorSizes:
    """How many departments each honor takes."""

    advanced: int
    recommended: int
    praised: int
    progress: int
    bottom: int


@dataclass(frozen=True)
class Scheme:
    """A whole, validated scheme; `document` is the JSON it came from, for copying and export."""

    id: str
    name: str
    year: int | None
    offices: Mapping[str, str]
    department_types: Mapping[str, str]
    categories: tuple[Category, ...]
    grades: Mapping[str, Grade]
    kinds: Mapping[str, EvaluationKind]
    options: Options
    honors: HonorSizes
    veto_reasons: Mapping[str, str]
    document: Mapping[str, Any] = field(repr=False, compare=False)
    rules: Mapping[str, Rule] = field(init=False, repr=False, compare=False)
    items: Mapping[int, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = {i.number: i for c in self.categories for i in c.items}
        rules = {r.id: r for i in items.values() for r in i.rules}
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "rules", rules)

    def copy_document(self, *, new_id: str, year: int | None = None) -> dict[str, Any]:
        """A deep copy of the scheme's document under a new id, to be edited for a new year."""
        doc = copy.deepcopy(dict(self.document))
        doc["id"] = new_id
        if year is not None:
            doc["year"] = year
        return doc


# --- loading -----------------------------------------------------------------------------


# The package's data directory, found by path: importlib.resources would add 10 ms to the
# start of every `kaohe compute` (it imports tempfile, random, zipfile …).
_DATA = Path(__file__).parent / "data"


def builtin_scheme_ids() -> list[str]:
    """Ids of the schemes shipped in the package."""
    return sorted(p.name.removesuffix(".json") for p in _DATA.iterdir() if p.name.endswith(".json"))


_BUILTIN_CACHE: dict[str, Scheme] = {}


def builtin_scheme(scheme_id: str) -> Scheme:
    """A shipped scheme by id; KeyError if there is none."""
    if scheme_id not in _BUILTIN_CACHE:
        if scheme_id not in builtin_scheme_ids():
            raise KeyError(scheme_id)
        path = _DATA / f"{scheme_id}.json"
        _BUILTIN_CACHE[scheme_id] = parse_scheme(json.loads(path.read_text(encoding="utf-8")))
    return _BUILTIN_CACHE[scheme_id]


def parse_scheme(doc: object, *, at: str = "") -> Scheme:
    """Validate a scheme document and build the Scheme; InvalidInput lists every problem."""
    problems = Problems()
    scheme = _SchemeReader(problems, at).read(doc)
    problems.raise_if_any()
    assert scheme is not None
    return scheme


class _SchemeReader:
    """Walks a scheme document, recording problems instead of stopping at the first."""

    def __init__(self, problems: Problems, at: str) -> None:
        self.p = problems
        self.at = at

    def loc(self, path: str) -> str:
        if not self.at:
            return path
        return f"{self.at}.{path}" if path and not path.startswith("[") else f"{self.at}{path}"

    def obj(
        self,
        value: object,
        path: str,
        required: AbstractSet[str],
        optional: AbstractSet[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """Check that value is an object with the required keys and no unknown ones."""
        if not isinstance(value, dict):
            self.p.add(self.loc(path), "must be an object")
            return None
        for key in sorted(required - value.keys()):
            self.p.add(self.loc(path), f"missing field {key!r}")
        for key in sorted(value.keys() - required - optional):
            self.p.add(self.loc(path), f"unknown field {key!r}")
        return value

    def text(self, value: object, path: str, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.p.add(self.loc(path), "must be a non-empty string")
            return ""
        return value

    def number(self, value: object, path: str, *, positive: bool = False) -> Fraction:
        number = parse_number(value)
        if number is None:
            # A JSON float arrives as a float, or from load_json as a str subclass: show it bare.
            shown = str(value) if isinstance(value, str) and type(value) is not str else repr(value)
            self.p.add(self.loc(path), f'must be a decimal string such as "0.5", got {shown}')
            return Fraction(0)
        if number < 0 or (positive and number == 0):
            self.p.add(self.loc(path), f"must be {'> 0' if positive else '>= 0'}, got {value}")
        return number

    def integer(self, value: object, path: str, *, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.p.add(self.loc(path), f"must be an integer >= {minimum}, got {value!r}")
            return minimum
        return value

    def codes(self, value: object, path: str, known: Mapping[str, str]) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            self.p.add(self.loc(path), "must be a non-empty list of office codes")
            return ()
        for i, code in enumerate(value):
            if type(code) is not str or code not in known:
                self.p.add(self.loc(f"{path}[{i}]"), f"unknown office {code!r}")
        if len(set(map(str, value))) != len(value):
            self.p.add(self.loc(path), "lists an office twice")
        return tuple(str(c) for c in value)

    def read(self, doc: object) -> Scheme | None:
        top = {"format", "id", "name", "offices", "department_types", "categories", "evaluation"}
        top_opt = {"year", "organisation", "issued", "honors", "veto_reasons", "description"}
        d = self.obj(doc, "", top, top_opt)
        if d is None:
            return None
        for path, message in _json_problems(d):
            self.p.add(self.loc(path), message)
        if d.get("format") != SCHEME_FORMAT:
            self.p.add(self.loc("format"), f"must be {SCHEME_FORMAT!r}")
        scheme_id = self.text(d.get("id"), "id")
        name = self.text(d.get("name"), "name")
        year = d.get("year")
        if year is not None:
            year = self.integer(year, "year", minimum=1900)
        for key in ("organisation", "issued", "description"):
            if key in d:
                self.text(d[key], key)
        offices = self.named_map(d.get("offices"), "offices")
        types = self.named_map(d.get("department_types"), "department_types")
        if types and set(types) != set(DEPARTMENT_TYPES):
            self.p.add(self.loc("department_types"), "must name exactly 'service' and 'general'")
        categories = self.categories(d.get("categories"), offices)
        grades, kinds, options = self.evaluation(d.get("evaluation"))
        honors = self.honors(d.get("honors", _DEFAULT_HONORS))
        vetoes = self.named_map(d.get("veto_reasons", _DEFAULT_VETOES), "veto_reasons")
        if vetoes and set(vetoes) != set(VETO_REASONS):
            self.p.add(self.loc("veto_reasons"), f"must name exactly {', '.join(VETO_REASONS)}")
        if self.p:
            return None
        return Scheme(
            id=scheme_id,
            name=name,
            year=year,
            offices=offices,
            department_types=types,
            categories=categories,
            grades=grades,
            kinds=kinds,
            options=options,
            honors=honors,
            veto_reasons=vetoes,
            document=copy.deepcopy(d),
        )

    def named_map(self, value: object, path: str) -> dict[str, str]:
        if not isinstance(value, dict) or not value:
            self.p.add(self.loc(path), "must be a non-empty object of code → name")
            return {}
        out: dict[str, str] = {}
        for code, name in value.items():
            if not code.strip():
                self.p.add(self.loc(path), "has an empty code")
            out[code] = self.text(name, f"{path}.{code}")
        return out

    def categories(self, value: object, offices: Mapping[str, str]) -> tuple[Category, ...]:
        if not isinstance(value, list) or not value:
            self.p.add(self.loc("categories"), "must be a non-empty list")
            return ()
        out, seen_items, seen_rules, seen_codes = [], set[int](), set[str](), set[str]()
        for ci, raw in enumerate(value):
            path = f"categories[{ci}]"
            c = self.obj(raw, path, {"code", "name", "points", "items"})
            if c is None:
                continue
            code = self.text(c.get("code"), f"{path}.code")
            if code in seen_codes:
                self.p.add(self.loc(f"{path}.code"), f"category {code!r} appears twice")
            seen_codes.add(code)
            items = []
            raw_items = c.get("items")
            if not isinstance(raw_items, list):
                self.p.add(self.loc(f"{path}.items"), "must be a list")
                raw_items = []
            for ii, raw_item in enumerate(raw_items):
                item = self.item(raw_item, f"{path}.items[{ii}]", code, offices, seen_rules)
                if item is None:
                    continue
                if item.number in seen_items:
                    self.p.add(
                        self.loc(f"{path}.items[{ii}].number"), f"item {item.number} appears twice"
                    )
                seen_items.add(item.number)
                items.append(item)
            points = self.number(c.get("points"), f"{path}.points")
            out.append(
                Category(code, self.text(c.get("name"), f"{path}.name"), points, tuple(items))
            )
        return tuple(out)

    def item(
        self, raw: object, path: str, category: str, offices: Mapping[str, str], seen: set[str]
    ) -> Item | None:
        it = self.obj(raw, path, {"number", "title", "offices", "rules"})
        if it is None:
            return None
        number = self.integer(it.get("number"), f"{path}.number", minimum=1)
        item_offices = self.codes(it.get("offices"), f"{path}.offices", offices)
        rules = []
        raw_rules = it.get("rules")
        if not isinstance(raw_rules, list):
            self.p.add(self.loc(f"{path}.rules"), "must be a list")
            raw_rules = []
        for ri, raw_rule in enumerate(raw_rules):
            rule = self.rule(raw_rule, f"{path}.rules[{ri}]", category, number, offices)
            if rule is None:
                continue
            if rule.id in seen:
                self.p.add(self.loc(f"{path}.rules[{ri}].id"), f"rule {rule.id!r} appears twice")
            seen.add(rule.id)
            rules.append(rule)
        return Item(number, self.text(it.get("title"), f"{path}.title"), item_offices, tuple(rules))

    def rule(
        self, raw: object, path: str, category: str, item: int, offices: Mapping[str, str]
    ) -> Rule | None:
        base = {"id", "name", "direction", "kind", "unit", "offices"}
        optional = {"amount", "min", "max", "quota", "modifiers", "once_a_year", "description"}
        r = self.obj(raw, path, base, optional)
        if r is None:
            return None
        rule_id = self.text(r.get("id"), f"{path}.id")
        direction, kind = r.get("direction"), r.get("kind")
        if direction not in DIRECTIONS:
            self.p.add(self.loc(f"{path}.direction"), "must be 'deduct' or 'bonus'")
        if kind not in RULE_KINDS:
            self.p.add(self.loc(f"{path}.kind"), "must be 'each', 'range' or 'shortfall'")
        amount = low = high = None
        quota: dict[str, int] = {}
        needs = {"each": {"amount"}, "range": {"min", "max"}, "shortfall": {"amount", "quota"}}
        for key in ("amount", "min", "max", "quota"):
            if isinstance(kind, str) and kind in needs and (key in r) != (key in needs[kind]):
                verb = "needs" if key in needs[kind] else "must not have"
                self.p.add(self.loc(path), f"a {kind} rule {verb} {key!r}")
        if "amount" in r:
            amount = self.number(r["amount"], f"{path}.amount", positive=True)
        if "min" in r and "max" in r:
            low = self.number(r["min"], f"{path}.min", positive=True)
            high = self.number(r["max"], f"{path}.max", positive=True)
            if low > high:
                self.p.add(self.loc(path), "min must not exceed max")
        if "quota" in r:
            quota = self.quota(r["quota"], f"{path}.quota")
        once = r.get("once_a_year", False)
        if not isinstance(once, bool):
            self.p.add(self.loc(f"{path}.once_a_year"), "must be true or false")
        if once and kind == "shortfall":
            self.p.add(self.loc(f"{path}.once_a_year"), "a shortfall rule is per half-year")
        modifiers = self.modifiers(r.get("modifiers", {}), f"{path}.modifiers")
        if kind == "shortfall" and modifiers:
            self.p.add(self.loc(f"{path}.modifiers"), "a shortfall rule takes no modifiers")
        return Rule(
            id=rule_id,
            name=self.text(r.get("name"), f"{path}.name"),
            category=category,
            item=item,
            direction=str(direction),
            kind=str(kind),
            unit=self.text(r.get("unit"), f"{path}.unit"),
            amount=amount,
            min=low,
            max=high,
            quota=quota,
            modifiers=modifiers,
            once_a_year=bool(once),
            offices=self.codes(r.get("offices"), f"{path}.offices", offices),
        )

    def quota(self, value: object, path: str) -> dict[str, int]:
        q = self.obj(value, path, set(DEPARTMENT_TYPES))
        if q is None:
            return {}
        return {t: self.integer(q.get(t), f"{path}.{t}") for t in DEPARTMENT_TYPES if t in q}

    def modifiers(self, value: object, path: str) -> dict[str, Modifier]:
        if not isinstance(value, dict):
            self.p.add(self.loc(path), "must be an object of code → {name, factor}")
            return {}
        out = {}
        for code, raw in value.items():
            m = self.obj(raw, f"{path}.{code}", {"name", "factor"})
            if m is None:
                continue
            factor = self.number(m.get("factor"), f"{path}.{code}.factor", positive=True)
            out[code] = Modifier(code, self.text(m.get("name"), f"{path}.{code}.name"), factor)
        return out

    def evaluation(
        self, value: object
    ) -> tuple[dict[str, Grade], dict[str, EvaluationKind], Options]:
        e = self.obj(value, "evaluation", {"grades", "kinds"}, {"options"})
        empty = Options(None, None)
        if e is None:
            return {}, {}, empty
        grades: dict[str, Grade] = {}
        raw_grades = e.get("grades")
        if not isinstance(raw_grades, list) or not raw_grades:
            self.p.add(self.loc("evaluation.grades"), "must be a non-empty list")
            raw_grades = []
        for gi, raw in enumerate(raw_grades):
            path = f"evaluation.grades[{gi}]"
            g = self.obj(raw, path, {"code", "name", "coefficient"})
            if g is None:
                continue
            code = self.text(g.get("code"), f"{path}.code")
            if code in grades:
                self.p.add(self.loc(f"{path}.code"), f"grade {code!r} appears twice")
            coefficient = self.number(g.get("coefficient"), f"{path}.coefficient")
            if coefficient > 1:
                self.p.add(self.loc(f"{path}.coefficient"), "must lie between 0 and 1")
            grades[code] = Grade(code, self.text(g.get("name"), f"{path}.name"), coefficient)
        kinds = self.kinds(e.get("kinds"))
        options = self.options(e.get("options", {}), grades)
        return grades, kinds, options

    def kinds(self, value: object) -> dict[str, EvaluationKind]:
        if not isinstance(value, list):
            self.p.add(self.loc("evaluation.kinds"), "must be a list")
            return {}
        kinds: dict[str, EvaluationKind] = {}
        for ki, raw in enumerate(value):
            path = f"evaluation.kinds[{ki}]"
            k = self.obj(raw, path, {"code", "name", "points", "rounds"}, {"voters"})
            if k is None:
                continue
            code = k.get("code")
            if code not in KINDS:
                self.p.add(self.loc(f"{path}.code"), f"must be one of {', '.join(KINDS)}")
                continue
            if code in kinds:
                self.p.add(self.loc(f"{path}.code"), f"kind {code!r} appears twice")
            pts = self.obj(k.get("points"), f"{path}.points", set(DEPARTMENT_TYPES)) or {}
            points = {
                t: self.number(pts.get(t), f"{path}.points.{t}")
                for t in DEPARTMENT_TYPES
                if t in pts
            }
            kinds[code] = EvaluationKind(
                code=code,
                name=self.text(k.get("name"), f"{path}.name"),
                voters=self.text(k.get("voters", "-"), f"{path}.voters"),
                points=points,
                rounds=self.rounds(k.get("rounds"), f"{path}.rounds"),
            )
        for code in KINDS:
            if code not in kinds:
                self.p.add(
                    self.loc("evaluation.kinds"),
                    f"kind {code!r} is missing (give it 0 points to switch it off)",
                )
        return kinds

    def rounds(self, value: object, path: str) -> tuple[Round, ...]:
        if not isinstance(value, list) or not value:
            self.p.add(self.loc(path), "must be a non-empty list of rounds")
            return ()
        rounds: list[Round] = []
        for ri, raw in enumerate(value):
            r = self.obj(raw, f"{path}[{ri}]", {"period"}, {"weight"})
            if r is None:
                continue
            period = r.get("period")
            if period not in PERIODS:
                self.p.add(self.loc(f"{path}[{ri}].period"), "must be 'H1', 'H2' or 'year'")
            elif any(x.period == period for x in rounds):
                self.p.add(self.loc(f"{path}[{ri}].period"), f"round {period!r} appears twice")
            weight = self.number(r.get("weight", 1), f"{path}[{ri}].weight", positive=True)
            rounds.append(Round(str(period), weight))
        return tuple(rounds)

    def options(self, value: object, grades: Mapping[str, Grade]) -> Options:
        path = "evaluation.options"
        o = self.obj(value, path, set(), {"drop_extremes_min_grades", "excellent_max_share"})
        if o is None:
            return Options(None, None)
        n = o.get("drop_extremes_min_grades")
        if n is not None:
            n = self.integer(n, f"{path}.drop_extremes_min_grades", minimum=3)
        share = o.get("excellent_max_share")
        if share is not None:
            share = self.number(share, f"{path}.excellent_max_share")
            if share > 1:
                self.p.add(self.loc(f"{path}.excellent_max_share"), "must lie between 0 and 1")
            if "excellent" not in grades:
                self.p.add(self.loc(f"{path}.excellent_max_share"), "needs a grade 'excellent'")
        return Options(n, share)

    def honors(self, value: object) -> HonorSizes:
        h = self.obj(value, "honors", set(HONOR_KEYS))
        if h is None:
            return HonorSizes(0, 0, 0, 0, 0)
        sizes = {k: self.integer(h.get(k), f"honors.{k}") for k in HONOR_KEYS if k in h}
        if sizes.get("recommended", 0) > sizes.get("advanced", 0):
            self.p.add(self.loc("honors.recommended"), "cannot exceed honors.advanced")
        return HonorSizes(**{k: sizes.get(k, 0) for k in HONOR_KEYS})


NOT_UNICODE = "is not Unicode text: it has a lone surrogate escape such as \\ud800"


def is_unicode_text(value: str) -> bool:
    """Whether a decoded JSON string is real Unicode text (a `\\ud800` escape decodes to a lone
    surrogate, which no UTF-8 output can carry)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_problems(doc: object) -> list[tuple[str, str]]:
    """(location, message) for every key a JSON object repeats (load_json marks them in
    `duplicates`) and every key or string that is not Unicode text, anywhere in the document."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[str, object]] = [("", doc)]
    while stack:  # not recursive: a hostile document may nest deeply
        path, value = stack.pop()
        if isinstance(value, dict):
            found.extend(
                (path, f"field {k!r} appears twice") for k in getattr(value, "duplicates", ())
            )
            for k, v in value.items():
                if not is_unicode_text(k):
                    found.append((path, f"a field name {NOT_UNICODE}"))
                    continue
                stack.append((f"{path}.{k}" if path else k, v))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, str) and not is_unicode_text(value):
            found.append((path, NOT_UNICODE))
    return sorted(found)


_DEFAULT_HONORS = {"advanced": 5, "recommended": 2, "praised": 5, "progress": 5, "bottom": 2}
_DEFAULT_VETOES = {
    "staff_investigated": "所在部门工作人员因违法违纪被查处",
    "criticised": "被通报批评",
    "act_revoked": "在行政复议、诉讼中被撤销具体行政行为或确认行政行为违法",
    "dereliction": "其他工作失职的情形",
}

__all__ = [
    "Category",
    "EvaluationKind",
    "Grade",
    "InvalidInput",
    "Item",
    "Modifier",
    "Options",
    "Round",
    "Rule",
    "Scheme",
    "builtin_scheme",
    "builtin_scheme_ids",
    "parse_scheme",
]
