"""The year bundle (docs/bundle.md): parsing and validating one year's data, and writing it back.

A bundle with any problem is rejected whole: `parse_bundle` raises InvalidInput listing every
problem found, each with its JSON location. Nothing is ever ignored silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Any, NamedTuple

from kaohe.engine.decisions import Decisions, decisions_document, read_decisions
from kaohe.engine.limits import MAX_ACTUAL, MAX_ADJUSTMENT, MAX_COUNT, MAX_RANK, MAX_YEAR, MIN_YEAR
from kaohe.engine.numbers import parse_number, plain
from kaohe.engine.problems import InvalidInput, Problems
from kaohe.engine.scheme import (
    DEPARTMENT_TYPES,
    HALF_YEARS,
    NOT_UNICODE,
    PERIODS,
    Rule,
    Scheme,
    builtin_scheme,
    builtin_scheme_ids,
    is_unicode_text,
    parse_scheme,
)
from kaohe.engine.vocabulary import DECISION_WORDS

BUNDLE_FORMAT = "kaohe-bundle/1"
TOP_REQUIRED = {"format", "year", "scheme", "departments"}
TOP_OPTIONAL = {"entries", "ballots", "adjustments", "vetoes", "previous_ranks", "decisions"}
DEPARTMENT_KEYS = {"code", "name", "type", "parent"}
ENTRY_CORE = {"department", "rule", "period", "count", "amount", "actual", "modifiers", "same_work"}
# Optional fields the product adds to an entry (docs/bundle.md): all strings or lists of strings.
ENTRY_TEXT = {"id", "office", "description", "decided_by", "meeting"}
ENTRY_LISTS = {"persons", "evidence"}
ENTRY_KEYS = ENTRY_CORE | ENTRY_TEXT | ENTRY_LISTS
# How the assessment office decided a range amount (考核办集体评议, or 无记名投票).
DECISION_METHODS = tuple(DECISION_WORDS.values())
ENTRY_REQUIRED = frozenset({"department", "rule", "period"})
BALLOT_KEYS = {"kind", "round", "grades", "id", "group"}
ADJUSTMENT_KEYS = {"department", "amount", "reason", "meeting", "id"}
VETO_KEYS = {"department", "reason", "note", "id"}


class Department(NamedTuple):
    """An assessed department of the year."""

    code: str
    name: str
    type: str
    parent: str | None = None


class Entry(NamedTuple):
    """A recorded deduction or bonus; `extra` holds the product's optional descriptive fields."""

    department: str
    rule: str
    period: str
    quantity: int
    amount: Fraction | None
    actual: int | None
    modifier: str | None
    same_work: str | None
    extra: Mapping[str, Any]
    has_count: bool = False


class Ballot(NamedTuple):
    """One voter's ballot: department code → grade; departments left out are abstentions."""

    kind: str
    round: str
    grades: Mapping[str, str]
    id: str | None = None
    group: str | None = None


class Adjustment(NamedTuple):
    """A signed amount decided by the party group, with its reason."""

    department: str
    amount: Fraction
    reason: str
    meeting: str | None = None
    id: str | None = None


class Veto(NamedTuple):
    """A one-vote-veto event of the year."""

    department: str
    reason: str
    note: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Bundle:
    """Everything that decides one year's results."""

    year: int
    scheme: Scheme
    departments: tuple[Department, ...]
    entries: tuple[Entry, ...] = ()
    ballots: tuple[Ballot, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    previous_ranks: Mapping[str, int] = field(default_factory=dict)
    scheme_inline: bool = False
    decisions: Decisions = field(default_factory=Decisions)


# --- reading -----------------------------------------------------------------------------


class _Float(str):
    """A JSON number with a fraction or exponent, kept as text so it can be reported."""


class _DupDict(dict[str, Any]):
    """A JSON object that repeated a key; the repeated keys are reported with its location."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) == len(pairs):
        return d
    dup = _DupDict(d)
    seen: set[str] = set()
    dup.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return dup


def _reject_constant(name: str) -> _Float:
    return _Float(name)


def load_json(data: bytes | str) -> object:
    """Decode JSON keeping floats and repeated keys visible; InvalidInput if it is not JSON."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise InvalidInput([_problem("", f"not UTF-8 text (byte {exc.start})")]) from None
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_float=_Float, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidInput([_problem("", msg)]) from None
    except (RecursionError, ValueError) as exc:
        raise InvalidInput([_problem("", f"not valid JSON: {exc}")]) from None


def _problem(location: str, message: str) -> Any:
    from kaohe.engine.problems import Problem

    return Problem(location, message)


_ITEM_LISTS = ("departments", "entries", "ballots", "adjustments", "vetoes")
_FEW = ("departments", "ballots", "adjustments", "vetoes")


def parse_bundle_bytes(data: bytes | str) -> Bundle:
    """Parse and validate a bundle from its JSON text."""
    bundle = _parse_valid_unique(data)
    if bundle is not None:
        return bundle
    # Bad input, or a key may be repeated: decode again, watching every object, and report.
    return parse_bundle(load_json(data))


def _parse_valid_unique(data: bytes | str) -> Bundle | None:
    """The common case, fast: the bundle if it is valid and its text repeats no key, else None.

    Decoding without a per-object hook runs in C; repeated keys, which that decoding would hide,
    are then ruled out by counting (_no_repeated_key). When this gives a bundle, the watchful
    decoding would have given the very same document, and so the same bundle.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = json.loads(text, parse_float=_Float, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # not UTF-8 or not JSON: reported by the slow path
        return None
    # Most bundles escape nothing; a one-character search is ten times quicker than one for "\\u".
    escapes = "\\" in text and "\\u" in text
    unique = type(doc) is dict and _no_repeated_key(text, doc, escapes)
    # Strict UTF-8 cannot encode a lone surrogate: only an escape \\ud800–\\udfff could make one.
    surrogate_free = isinstance(data, bytes) and not (
        escapes and ("\\ud" in text or "\\uD" in text)
    )
    del text  # a second copy of the whole bundle, no longer needed while it is checked
    problems = Problems()
    bundle = _BundleReader(problems, surrogate_free=surrogate_free).read(doc)
    if problems or bundle is None or not unique:
        return None
    return bundle


def _no_repeated_key(text: str, doc: dict[str, Any], escapes: bool) -> bool:
    """Whether no object of the JSON `text` (with \\u `escapes` or not) repeats a key; `doc` is
    what it decodes to.

    Outside strings a colon only separates a member, so: colons in the text = members + colons
    written within strings >= keys kept in the decoded objects + colons within decoded strings,
    equal only if no key repeats. Counting some of the kept keys and of the strings' colons gives
    lower bounds, so equality with those still proves it; they are counted from the cheapest
    (the bundle's own objects, no colon in any string) to all of them. A colon escaped as \\u003a
    is within a decoded string but not in the text: then the question stays open (False).
    """
    colons = text.count(":")
    keys = _bundle_keys(doc)
    if colons == keys:
        return True
    if escapes and ("\\u003a" in text or "\\u003A" in text):
        return False
    # Colons within strings are most likely in the few free-text items; the entries are many.
    inside = _colons(doc.values()) + _colons(_item_values(doc, _FEW))
    if colons == keys + inside:
        return True
    if colons == keys + inside + _colons(_item_values(doc, ("entries",))):
        return True
    return colons == sum(_keys_and_colons(doc))


def _bundle_keys(doc: dict[str, Any]) -> int:
    """Keys kept in the bundle's objects, wherever a valid bundle has objects."""
    keys = len(doc) + sum(map(len, _objects(doc, _ITEM_LISTS)))
    grades = [b.get("grades") for b in _objects(doc, ("ballots",))]
    keys += sum(len(g) for g in grades if type(g) is dict)
    if type(doc.get("previous_ranks")) is dict:
        keys += len(doc["previous_ranks"])
    decisions = doc.get("decisions")
    if type(decisions) is dict:
        keys += len(decisions) + (len(ties) if type(ties := decisions.get("ties")) is dict else 0)
    if type(doc.get("scheme")) is dict:
        keys += _keys_and_colons(doc["scheme"])[0]
    return keys


def _objects(doc: dict[str, Any], names: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The objects in the bundle's lists `names`."""
    lists = [doc[name] for name in names if type(doc.get(name)) is list]
    return filter(dict.__instancecheck__, chain.from_iterable(lists))


def _item_values(doc: dict[str, Any], names: tuple[str, ...]) -> Iterator[object]:
    """The values of the objects in the bundle's lists `names` (a ballot's grades: one value)."""
    return chain.from_iterable(map(dict.values, _objects(doc, names)))


def _colons(values: Iterable[object]) -> int:
    """Colons within those of `values` that are strings."""
    return "\0".join([v for v in values if isinstance(v, str)]).count(":")


def _keys_and_colons(doc: object) -> tuple[int, int]:
    """All keys kept in the document's objects, and the colons within all its strings and keys."""
    keys = colons = 0
    stack = [doc]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            keys += len(value)
            colons += "\0".join(value).count(":")
            stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
        elif isinstance(value, str):
            colons += value.count(":")
    return keys, colons


def parse_bundle(doc: object) -> Bundle:
    """Validate a decoded bundle and build it; InvalidInput lists every problem."""
    problems = Problems()
    bundle = _BundleReader(problems).read(doc)
    problems.raise_if_any()
    assert bundle is not None
    return bundle


def _describe(value: object) -> str:
    if isinstance(value, _Float):
        return f'{value} (a binary float; write decimals as strings, e.g. "{value}")'
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, _Float) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _BundleReader:
    """Walks a bundle document, recording every problem."""

    def __init__(self, problems: Problems, *, surrogate_free: bool = False) -> None:
        self.p = problems
        # Known to hold no lone surrogate (text decoded from UTF-8 without \ud escapes): then
        # the texts of 100,000 entries need no look each.
        self.check_texts = not surrogate_free
        self.numbers: dict[tuple[type, object], Fraction | None] = {}

    def number(self, value: object) -> Fraction | None:
        """parse_number, remembered: the amounts of a year's entries are a few values, repeated."""
        try:
            key = (type(value), value)  # 1 and True, or "1.5" and the float 1.5, stay apart
            if key not in self.numbers:
                self.numbers[key] = parse_number(value)
            return self.numbers[key]
        except TypeError:  # not hashable: a list or an object, no number
            return parse_number(value)

    def obj(
        self, value: object, path: str, allowed: set[str], required: set[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.p.add(path, f"must be an object, got {_describe(value)}")
            return None
        if type(value) is _DupDict:
            for key in value.duplicates:
                self.p.add(path, f"field {key!r} appears twice")
        for key in sorted(required - value.keys()):
            self.p.add(path, f"missing field {key!r}")
        unknown = value.keys() - allowed
        for key in sorted(unknown):
            self.p.add(path, f"unknown field {key!r}")
        return value

    def array(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.p.add(path, f"must be a list, got {_describe(value)}")
            return []
        return value

    def read(self, doc: object) -> Bundle | None:
        d = self.obj(doc, "", TOP_REQUIRED | TOP_OPTIONAL, TOP_REQUIRED)
        if d is None:
            return None
        if "format" in d and d["format"] != BUNDLE_FORMAT:
            self.p.add("format", f"must be {BUNDLE_FORMAT!r}, got {_describe(d['format'])}")
        year = d.get("year")
        if "year" in d and (
            isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR
        ):
            self.p.add(
                "year", f"must be an integer from {MIN_YEAR} to {MAX_YEAR}, got {_describe(year)}"
            )
        scheme = self.scheme(d.get("scheme")) if "scheme" in d else None
        departments = self.departments(d.get("departments", []))
        if scheme is None:
            return None
        codes = {dep.code: dep for dep in departments}
        entries = self.entries(self.array(d.get("entries", []), "entries"), scheme, codes)
        ballots = self.ballots(self.array(d.get("ballots", []), "ballots"), scheme, codes)
        adjustments = self.adjustments(self.array(d.get("adjustments", []), "adjustments"), codes)
        vetoes = self.vetoes(self.array(d.get("vetoes", []), "vetoes"), scheme, codes)
        previous = self.previous_ranks(d.get("previous_ranks", {}), codes)
        decisions = (
            read_decisions(d["decisions"], codes, self.p, self.obj)
            if "decisions" in d
            else Decisions()
        )
        if self.p:
            return None
        return Bundle(
            year=int(year),  # type: ignore[arg-type]
            scheme=scheme,
            departments=departments,
            entries=entries,
            ballots=ballots,
            adjustments=adjustments,
            vetoes=vetoes,
            previous_ranks=previous,
            scheme_inline=isinstance(d.get("scheme"), dict),
            decisions=decisions,
        )

    def scheme(self, value: object) -> Scheme | None:
        if isinstance(value, str):
            try:
                return builtin_scheme(value)
            except KeyError:
                known = ", ".join(builtin_scheme_ids())
                self.p.add("scheme", f"unknown scheme {value!r} (built in: {known})")
                return None
        if isinstance(value, dict):
            try:
                return parse_scheme(_plain_json(value), at="scheme")
            except InvalidInput as exc:
                self.p.items.extend(exc.problems)
                return None
            except RecursionError:
                self.p.add("scheme", "is nested too deeply")
                return None
        self.p.add("scheme", "must be a scheme id or a scheme object")
        return None

    def departments(self, value: object) -> tuple[Department, ...]:
        out: list[Department] = []
        seen: set[str] = set()
        for i, raw in enumerate(self.array(value, "departments")):
            path = f"departments[{i}]"
            d = self.obj(raw, path, DEPARTMENT_KEYS, {"code", "type"})
            if d is None:
                continue
            code, dtype = d.get("code"), d.get("type")
            if not isinstance(code, str) or not code.strip():
                self.p.add(f"{path}.code", f"must be a non-empty string, got {_describe(code)}")
                continue
            if not is_unicode_text(code):
                self.p.add(f"{path}.code", NOT_UNICODE)
                continue
            if code in seen:
                self.p.add(f"{path}.code", f"department {code!r} appears twice")
            seen.add(code)
            if "type" in d and dtype not in DEPARTMENT_TYPES:
                self.p.add(
                    f"{path}.type", f"must be 'service' or 'general', got {_describe(dtype)}"
                )
            name = d.get("name", code)
            if not isinstance(name, str):
                self.p.add(f"{path}.name", "must be a string")
            elif not is_unicode_text(name):
                self.p.add(f"{path}.name", NOT_UNICODE)
            parent = d.get("parent")
            if parent is not None and not isinstance(parent, str):
                self.p.add(f"{path}.parent", "must be a string")
            elif parent is not None and not is_unicode_text(parent):
                self.p.add(f"{path}.parent", NOT_UNICODE)
            out.append(Department(code, str(name), str(dtype), parent))
        return tuple(out)

    def entries(
        self, raws: list[Any], scheme: Scheme, codes: Mapping[str, Department]
    ) -> tuple[Entry, ...]:
        rules = scheme.rules
        out: list[Entry] = []
        once_seen: dict[tuple[str, str], int] = {}
        shortfall_seen: dict[tuple[str, str, str], int] = {}
        add = self.p.add
        for i, e in enumerate(raws):
            path = f"entries[{i}]"
            if type(e) is not dict or not (ENTRY_REQUIRED <= e.keys() <= ENTRY_KEYS):
                checked = self.obj(e, path, ENTRY_KEYS, set(ENTRY_REQUIRED))
                if checked is None or not checked.keys() >= ENTRY_REQUIRED:
                    continue
            ok = True
            dep, rule_id, period = e.get("department"), e.get("rule"), e.get("period")
            if type(dep) is not str or dep not in codes:  # a list or object is not hashable
                add(f"{path}.department", f"unknown department {_describe(dep)}")
                ok = False
            rule = rules.get(rule_id) if isinstance(rule_id, str) else None
            if rule is None:
                add(f"{path}.rule", f"unknown rule {_describe(rule_id)} in scheme {scheme.id}")
                ok = False
            if period not in PERIODS:
                add(f"{path}.period", f"must be 'H1', 'H2' or 'year', got {_describe(period)}")
                ok = False
            count = e.get("count", 1)
            if "count" in e and (type(count) is not int or not 1 <= count <= MAX_COUNT):
                add(
                    f"{path}.count",
                    f"must be an integer from 1 to {MAX_COUNT}, got {_describe(count)}",
                )
                ok = False
            modifiers = e.get("modifiers", [])
            modifier = None
            if "modifiers" in e:
                if (
                    type(modifiers) is not list
                    or len(modifiers) > 1
                    or any(type(m) is not str for m in modifiers)
                ):
                    add(
                        f"{path}.modifiers",
                        f"must be a list of at most one modifier, got {_describe(modifiers)}",
                    )
                    ok = False
                elif modifiers:
                    modifier = modifiers[0]
            same_work = e.get("same_work")
            if same_work is not None and type(same_work) is not str:
                add(f"{path}.same_work", "must be a string")
                ok = False
            if self.check_texts and (same_work or not e.keys() <= ENTRY_CORE):
                for key in _not_unicode(e, ENTRY_TEXTS):
                    add(f"{path}.{key}", NOT_UNICODE)
                    ok = False
            extra = {} if e.keys() <= ENTRY_CORE else self.entry_extra(e, path)
            if rule is None:
                continue
            amount = actual = None
            if rule.kind == "range":
                amount = self.range_amount(e, rule, path)
                ok = ok and amount is not None
            elif "amount" in e:
                add(path, f"rule {rule.id} is not a range rule; it takes no amount")
                ok = False
            if rule.kind == "shortfall":
                actual = self.shortfall(e, rule, path, period)
                ok = ok and actual is not None
                if "count" in e:
                    add(
                        f"{path}.count",
                        f"rule {rule.id} counts by quota; a shortfall entry has no count",
                    )
                    ok = False
                key3 = (str(dep), rule.id, str(period))
                if ok and key3 in shortfall_seen:
                    add(
                        path,
                        f"department {dep} already has a {rule.id} entry for {period} (entries[{shortfall_seen[key3]}])",
                    )
                    ok = False
                shortfall_seen.setdefault(key3, i)
            elif "actual" in e:
                add(path, f"rule {rule.id} is not a shortfall rule; it takes no actual count")
                ok = False
            if modifier is not None and modifier not in rule.modifiers:
                allowed = ", ".join(rule.modifiers) or "none"
                add(
                    f"{path}.modifiers",
                    f"rule {rule.id} does not allow modifier {_describe(modifier)} (allowed: {allowed})",
                )
                ok = False
            if same_work is not None and not rule.is_bonus:
                add(
                    f"{path}.same_work",
                    f"rule {rule.id} is a deduction; same_work is only for bonuses",
                )
                ok = False
            if rule.once_a_year:
                if type(count) is int and count > 1:
                    add(
                        f"{path}.count",
                        f"rule {rule.id} is once a year; count must be 1, got {count}",
                    )
                    ok = False
                key2 = (str(dep), rule.id)
                if key2 in once_seen:
                    add(
                        path,
                        f"rule {rule.id} is once a year and department {dep} already has it (entries[{once_seen[key2]}])",
                    )
                    ok = False
                once_seen.setdefault(key2, i)
            if extra and not self.extra_fits_rule(extra, rule, path):
                ok = False
            if ok:
                # tuple.__new__: the Entry made in C, not by NamedTuple's __new__ (100,000 times)
                fields = (
                    dep,
                    rule.id,
                    period,
                    count,
                    amount,
                    actual,
                    modifier,
                    same_work or None,
                    extra,
                    "count" in e,
                )
                out.append(tuple.__new__(Entry, fields))
        return tuple(out)

    def extra_fits_rule(self, extra: Mapping[str, Any], rule: Rule, path: str) -> bool:
        """The recording office owns the rule; `decided_by` only on range rules, one of two ways."""
        ok = True
        office = extra.get("office")
        if type(office) is str and office not in rule.offices:
            offices = ", ".join(rule.offices)
            self.p.add(
                f"{path}.office",
                f"office {office!r} does not record rule {rule.id} (offices: {offices})",
            )
            ok = False
        method = extra.get("decided_by")
        if type(method) is str and rule.kind != "range":
            self.p.add(
                f"{path}.decided_by",
                f"rule {rule.id} is not a range rule; only range amounts are decided",
            )
            ok = False
        elif type(method) is str and method not in DECISION_METHODS:
            self.p.add(
                f"{path}.decided_by",
                f"must be {' or '.join(DECISION_METHODS)}, got {_describe(method)}",
            )
            ok = False
        return ok

    def entry_extra(self, e: dict[str, Any], path: str) -> dict[str, Any]:
        """The product's optional fields of an entry, checked, in the entry's order."""
        extra: dict[str, Any] = {}
        for key, value in e.items():
            if key in ENTRY_TEXT:
                if type(value) is not str:
                    self.p.add(f"{path}.{key}", "must be a string")
            elif key in ENTRY_LISTS:
                if type(value) is not list or any(type(v) is not str for v in value):
                    self.p.add(f"{path}.{key}", "must be a list of strings")
            else:
                continue  # a core field, or an unknown one (reported with the entry)
            extra[key] = value
        return extra

    def range_amount(self, e: dict[str, Any], rule: Any, path: str) -> Fraction | None:
        if "amount" not in e:
            bounds = f"between {plain(rule.min)} and {plain(rule.max)}"
            self.p.add(
                path, f"rule {rule.id} needs an amount {bounds} (the amount decided per case)"
            )
            return None
        amount = self.number(e["amount"])
        if amount is None or not (rule.min <= amount <= rule.max):
            bounds = f"between {plain(rule.min)} and {plain(rule.max)}"
            # bundle.md's own example: `entries[12]: rule 1.target_unmet needs an amount between
            # 1 and 5, got 7` — at the entry, a decimal shown as written.
            got = str(e["amount"]) if amount is not None else _describe(e["amount"])
            self.p.add(path, f"rule {rule.id} needs an amount {bounds}, got {got}")
            return None
        return amount

    def shortfall(self, e: dict[str, Any], rule: Any, path: str, period: object) -> int | None:
        ok = True
        if period not in HALF_YEARS:
            self.p.add(
                f"{path}.period",
                f"rule {rule.id} is per half-year; period must be 'H1' or 'H2', got {_describe(period)}",
            )
            ok = False
        if "actual" not in e:
            self.p.add(path, f"rule {rule.id} needs 'actual', the count submitted in the half-year")
            return None
        actual = e["actual"]
        if type(actual) is not int or not 0 <= actual <= MAX_ACTUAL:
            self.p.add(
                f"{path}.actual",
                f"must be an integer from 0 to {MAX_ACTUAL}, got {_describe(actual)}",
            )
            return None
        return actual if ok else None

    def ballots(
        self, raws: list[Any], scheme: Scheme, codes: Mapping[str, Department]
    ) -> tuple[Ballot, ...]:
        out: list[Ballot] = []
        grade_codes = set(scheme.grades)
        rated = {
            k: {c for c, d in codes.items() if d.type in DEPARTMENT_TYPES and kind.rates(d.type)}
            for k, kind in scheme.kinds.items()
        }
        for i, b in enumerate(raws):
            path = f"ballots[{i}]"
            if self.obj(b, path, BALLOT_KEYS, {"kind", "round", "grades"}) is None:
                continue
            ok = True
            kind_code, period, grades = b.get("kind"), b.get("round"), b.get("grades")
            kind = scheme.kinds.get(kind_code) if isinstance(kind_code, str) else None
            if kind is None:
                self.p.add(
                    f"{path}.kind",
                    f"must be 'democratic', 'style' or 'leader', got {_describe(kind_code)}",
                )
                ok = False
            elif kind.round(period) is None if isinstance(period, str) else True:
                listed = ", ".join(r.period for r in kind.rounds)
                self.p.add(
                    f"{path}.round",
                    f"{kind_code} evaluation has no round {_describe(period)} in scheme {scheme.id} (rounds: {listed})",
                )
                ok = False
            for key in ("id", "group"):
                if key in b and type(b[key]) is not str:
                    self.p.add(f"{path}.{key}", "must be a string")
                    ok = False
            for key in _not_unicode(b, ("id", "group")):
                self.p.add(f"{path}.{key}", NOT_UNICODE)
                ok = False
            if type(grades) is not dict:
                if not isinstance(grades, dict):
                    self.p.add(
                        f"{path}.grades",
                        f"must be an object of department code → grade, got {_describe(grades)}",
                    )
                    continue
                for key in grades.duplicates:  # type: ignore[attr-defined]
                    self.p.add(f"{path}.grades", f"department {key!r} graded twice")
                ok = False
            if kind is not None and not grades.keys() <= rated[kind.code]:
                for code in sorted(grades.keys() - rated[kind.code]):
                    why = (
                        "unknown department"
                        if code not in codes
                        else f"department not rated in {kind.code} evaluation"
                    )
                    self.p.add(f"{path}.grades.{code}", f"{why} {code!r}")
                ok = False
            try:
                unknown_grade = not grade_codes.issuperset(grades.values())
            except TypeError:  # a list or object given as a grade
                unknown_grade = True
            if unknown_grade:
                for code, grade in grades.items():
                    if type(grade) is not str or grade not in grade_codes:
                        self.p.add(
                            f"{path}.grades.{code}",
                            f"unknown grade {_describe(grade)} (grades: {', '.join(scheme.grades)})",
                        )
                ok = False
            if ok:
                out.append(Ballot(kind_code, period, grades, b.get("id"), b.get("group")))  # type: ignore[arg-type]
        return tuple(out)

    def adjustments(
        self, raws: list[Any], codes: Mapping[str, Department]
    ) -> tuple[Adjustment, ...]:
        out = []
        for i, a in enumerate(raws):
            path = f"adjustments[{i}]"
            if self.obj(a, path, ADJUSTMENT_KEYS, {"department", "amount", "reason"}) is None:
                continue
            amount = parse_number(a.get("amount"))
            if "amount" in a and amount is None:
                self.p.add(
                    f"{path}.amount",
                    f'must be a signed decimal string such as "-1.5", got {_describe(a.get("amount"))}',
                )
            elif amount is not None and abs(amount) > MAX_ADJUSTMENT:
                limit = plain(MAX_ADJUSTMENT)
                self.p.add(
                    f"{path}.amount",
                    f"must lie between -{limit} and {limit} points, got {a['amount']}",
                )
                amount = None
            dep = a.get("department")
            if "department" in a and (type(dep) is not str or dep not in codes):
                self.p.add(
                    f"{path}.department", f"unknown department {_describe(a.get('department'))}"
                )
            reason = a.get("reason")
            if "reason" in a and (type(reason) is not str or not reason.strip()):
                self.p.add(f"{path}.reason", "must be a non-empty string: the party group's reason")
            for key in ("meeting", "id"):
                if key in a and type(a[key]) is not str:
                    self.p.add(f"{path}.{key}", "must be a string")
            for key in _not_unicode(a, ("reason", "meeting", "id")):
                self.p.add(f"{path}.{key}", NOT_UNICODE)
            if amount is not None and not self.p:
                out.append(
                    Adjustment(a["department"], amount, reason, a.get("meeting"), a.get("id"))
                )
        return tuple(out)

    def vetoes(
        self, raws: list[Any], scheme: Scheme, codes: Mapping[str, Department]
    ) -> tuple[Veto, ...]:
        out = []
        for i, v in enumerate(raws):
            path = f"vetoes[{i}]"
            if self.obj(v, path, VETO_KEYS, {"department", "reason"}) is None:
                continue
            dep = v.get("department")
            if "department" in v and (type(dep) is not str or dep not in codes):
                self.p.add(
                    f"{path}.department", f"unknown department {_describe(v.get('department'))}"
                )
            reason = v.get("reason")
            if "reason" in v and (type(reason) is not str or reason not in scheme.veto_reasons):
                self.p.add(
                    f"{path}.reason",
                    f"must be one of {', '.join(scheme.veto_reasons)}, got {_describe(v.get('reason'))}",
                )
            for key in ("note", "id"):
                if key in v and type(v[key]) is not str:
                    self.p.add(f"{path}.{key}", "must be a string")
            for key in _not_unicode(v, ("note", "id")):
                self.p.add(f"{path}.{key}", NOT_UNICODE)
            if not self.p:
                out.append(Veto(v["department"], v["reason"], v.get("note"), v.get("id")))
        return tuple(out)

    def previous_ranks(self, value: object, codes: Mapping[str, Department]) -> dict[str, int]:
        if not isinstance(value, dict):
            self.p.add(
                "previous_ranks",
                f"must be an object of department code → rank, got {_describe(value)}",
            )
            return {}
        self.obj(value, "previous_ranks", set(value), set())
        out = {}
        for code, rank in value.items():
            if code not in codes:
                self.p.add(
                    f"previous_ranks.{code}",
                    f"unknown department {code!r} (leave out departments not assessed this year)",
                )
            if type(rank) is not int or not 1 <= rank <= MAX_RANK:
                self.p.add(
                    f"previous_ranks.{code}",
                    f"must be an integer from 1 to {MAX_RANK}, got {_describe(rank)}",
                )
            else:
                out[code] = rank
        return out


# Every text field of an entry a product stores: a lone surrogate in any would fail to be written.
ENTRY_TEXTS = ("same_work", *sorted(ENTRY_TEXT), *sorted(ENTRY_LISTS))


def _not_unicode(d: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    """Those of `keys` whose text (or list of texts) in `d` is not Unicode (a lone surrogate)."""
    bad = []
    for key in keys:
        value = d.get(key)
        values = value if type(value) is list else (value,)
        if any(type(v) is str and not is_unicode_text(v) for v in values):
            bad.append(key)
    return bad


def _plain_json(value: Any) -> Any:
    """Turn the reader's marker types back into plain JSON values for the scheme parser."""
    if isinstance(value, dict):
        plain_dict = {k: _plain_json(v) for k, v in value.items()}
        if type(value) is _DupDict:  # keep repeated keys visible: the scheme reader reports them
            dup = _DupDict(plain_dict)
            dup.duplicates = value.duplicates
            return dup
        return plain_dict
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    if isinstance(value, _Float):
        return float(value) if value not in {"NaN", "Infinity", "-Infinity"} else None
    return value


# --- writing -----------------------------------------------------------------------------


def bundle_to_document(bundle: Bundle) -> dict[str, Any]:
    """The bundle as a JSON-ready document in canonical form (decimal strings, defaults left out)."""
    doc: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "year": bundle.year,
        "scheme": dict(bundle.scheme.document) if bundle.scheme_inline else bundle.scheme.id,
        "departments": [_department_doc(d) for d in bundle.departments],
        "entries": [entry_to_document(e) for e in bundle.entries],
        "ballots": [_ballot_doc(b) for b in bundle.ballots],
        "adjustments": [
            _drop_none(
                {
                    "department": a.department,
                    "amount": plain(a.amount),
                    "reason": a.reason,
                    "meeting": a.meeting,
                    "id": a.id,
                }
            )
            for a in bundle.adjustments
        ],
        "vetoes": [
            _drop_none({"department": v.department, "reason": v.reason, "note": v.note, "id": v.id})
            for v in bundle.vetoes
        ],
        "previous_ranks": dict(bundle.previous_ranks),
    }
    if bundle.decisions:  # written only when the party group decided something
        doc["decisions"] = decisions_document(bundle.decisions)
    return doc


def entry_to_document(e: Entry) -> dict[str, Any]:
    """One entry in canonical bundle form."""
    d: dict[str, Any] = {"department": e.department, "rule": e.rule, "period": e.period}
    if e.has_count or (e.quantity != 1 and e.actual is None):
        d["count"] = e.quantity
    if e.amount is not None:
        d["amount"] = plain(e.amount)
    if e.actual is not None:
        d["actual"] = e.actual
    if e.modifier:
        d["modifiers"] = [e.modifier]
    if e.same_work:
        d["same_work"] = e.same_work
    d.update(e.extra)
    return d


def _department_doc(d: Department) -> dict[str, Any]:
    return _drop_none({"code": d.code, "name": d.name, "type": d.type, "parent": d.parent})


def _ballot_doc(b: Ballot) -> dict[str, Any]:
    return _drop_none(
        {"kind": b.kind, "round": b.round, "grades": dict(b.grades), "id": b.id, "group": b.group}
    )


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
