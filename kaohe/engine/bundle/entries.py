"""Reading the bundle's entries: each checked by check.py (the one check of an entry), then
against the entries before it.

A city's year has 100,000 entries but few distinct ones once the department is left aside: an
entry's scored fields are checked once per distinct value (with their types: 1 is not true, nor
"1.5" the float 1.5), and the entries alike share that check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from kaohe.engine.bundle.base import ReaderBase
from kaohe.engine.bundle.check import check_amount, check_fields, check_rule, entry_modifier
from kaohe.engine.bundle.jsondoc import describe
from kaohe.engine.bundle.model import (
    ENTRY_CORE,
    ENTRY_KEYS,
    ENTRY_LISTS,
    ENTRY_REQUIRED,
    ENTRY_TEXT,
    Department,
    Entry,
)
from kaohe.engine.scheme import Rule, Scheme
from kaohe.engine.vocabulary import RuleKind

_EXTRA = ENTRY_TEXT | ENTRY_LISTS
# The problems of an entry said after its comparison with the entries before it.
_AFTER_ONCE = frozenset(
    {"entry_office", "entry_decided_not_range", "entry_decided_by", "entry_persons_count"}
)
_AFTER_SHORTFALL = _AFTER_ONCE | {"entry_modifier", "entry_same_work_deduction", "entry_once_count"}


class _Checked(NamedTuple):
    """An entry's values after its department, as checked; `unique`: once a year or shortfall."""

    rule: Rule
    fields: tuple[Any, ...]
    has_count: bool
    unique: bool


def _shareable(e: dict[str, Any]) -> bool:
    """Whether the entry's check holds for every entry with its keys and values after the
    department: the department first, none of the product's descriptive fields."""
    return e.keys() <= ENTRY_CORE and next(iter(e)) == "department"


def _hashable(key: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The key with its lists of strings as tuples (JSON has none), or None if it has other
    unhashable values."""
    key = tuple(tuple(v) if type(v) is list else v for v in key)
    try:
        hash(key)
    except TypeError:
        return None
    return key


class EntryReader(ReaderBase):
    """Reads the entries of a bundle."""

    def entries(
        self, raws: list[Any], scheme: Scheme, codes: Mapping[str, Department]
    ) -> tuple[Entry, ...]:
        """The entries, each checked against its rule and the entries before it."""
        self.scheme_, self.codes = scheme, codes
        self.once_seen: dict[tuple[str, str], int] = {}
        self.shortfall_seen: dict[tuple[str, str, str], int] = {}
        known: dict[tuple[Any, ...], _Checked] = {}
        out: list[Entry] = []
        codes, new = self.codes, tuple.__new__
        for i, e in enumerate(raws):
            key = checked = None
            if type(e) is dict:
                # The entry's keys, its values after the first (in a shareable entry: the
                # department), and their types (true is 1, and "1.5" the float 1.5: refused),
                # in one tuple: its length tells where each part starts.
                values = tuple(e.values())
                key = (*e, *values[1:], *map(type, values))
                try:
                    checked = known.get(key)
                except TypeError:  # a list of modifiers, or something refused
                    key = _hashable(key)
                    checked = known.get(key) if key is not None else None
            if checked is not None:
                dep = values[0]
                _, fields, has_count, unique = checked
                if not unique and type(dep) is str and dep in codes:
                    # tuple.__new__: the Entry made in C, not by NamedTuple's __new__
                    out.append(new(Entry, (dep, *fields, {}, has_count)))
                elif (entry := self.alike(i, dep, checked)) is not None:
                    out.append(entry)
                continue
            entry, checked = self.entry(i, e)
            if key is not None and checked is not None and _shareable(e):
                known[key] = checked
            if entry is not None:
                out.append(entry)
        return tuple(out)

    def alike(self, i: int, dep: object, checked: _Checked) -> Entry | None:
        """An entry whose values after its department were checked before: its department, and
        the entries before it, remain to be checked."""
        path = f"entries[{i}]"
        ok = self.department_of(dep, path)
        if checked.unique:
            ok = self.unique(i, str(dep), checked.rule, checked.fields[1], ok) and ok
        if not ok:
            return None
        # tuple.__new__: the Entry made in C, not by NamedTuple's __new__ (100,000 times)
        return tuple.__new__(Entry, (dep, *checked.fields, {}, checked.has_count))

    # Over 40 lines: the checks of one entry in the order the reader has always reported them
    # (stderr byte-identical); split further, the calls cost time on 100,000 entries.
    def entry(self, i: int, e: object) -> tuple[Entry | None, _Checked | None]:
        """One entry checked whole: the entry if it has no problem, and its values after the
        department if they have none."""
        path = f"entries[{i}]"
        if type(e) is not dict or not (ENTRY_REQUIRED <= e.keys() <= ENTRY_KEYS):
            d = self.obj(e, path, ENTRY_KEYS, set(ENTRY_REQUIRED))
            if d is None or not d.keys() >= ENTRY_REQUIRED:
                return None, None
            e = d
        assert isinstance(e, dict)
        dep_ok = self.department_of(e["department"], path)
        rule = self.rule_of(e["rule"], path)
        problems = check_fields(e, check_texts=self.check_texts)
        amount = None
        if rule is not None:
            amount = check_amount(problems, rule, e, self.number)
            check_rule(problems, rule, e)
        found = [problem.at(path) for problem in problems.items]
        if rule is None:
            self.p.items.extend(found)
            return None, None
        unique = rule.once_a_year or rule.kind == RuleKind.SHORTFALL
        ok = dep_ok and not found
        if unique:
            # Said where the entries before this one are compared, as the rules are listed:
            # after what the rule's kind says, before what its modifiers and offices say.
            later = _AFTER_SHORTFALL if rule.kind == RuleKind.SHORTFALL else _AFTER_ONCE
            split = next((n for n, p in enumerate(found) if p.code in later), len(found))
            self.p.items.extend(found[:split])
            first_ok = dep_ok and not found[:split]
            ok = self.unique(i, str(e["department"]), rule, str(e["period"]), first_ok) and ok
            self.p.items.extend(found[split:])
        else:
            self.p.items.extend(found)
        if found:
            return None, None
        actual = e.get("actual") if rule.kind == RuleKind.SHORTFALL else None
        fields: tuple[Any, ...] = (rule.id, e["period"], e.get("count", 1), amount, actual)
        fields += (entry_modifier(e), e.get("same_work") or None)
        extra = {k: v for k, v in e.items() if k in _EXTRA}
        entry = tuple.__new__(Entry, (e["department"], *fields, extra, "count" in e))
        return entry if ok else None, _Checked(rule, fields, "count" in e, unique)

    def department_of(self, dep: object, path: str) -> bool:
        """Whether the entry's department is one of the year's (else reported)."""
        if type(dep) is str and dep in self.codes:  # a list or object is not hashable
            return True
        got = describe(dep)
        self.p.add(f"{path}.department", f"unknown department {got}", "department_unknown", got=got)
        return False

    def rule_of(self, rule_id: object, path: str) -> Rule | None:
        """The entry's rule in the year's scheme (None, reported, if it has none such)."""
        rule = self.scheme_.rules.get(rule_id) if isinstance(rule_id, str) else None
        if rule is None:
            got, scheme = describe(rule_id), self.scheme_.id
            message = f"unknown rule {got} in scheme {scheme}"
            self.p.add(f"{path}.rule", message, "entry_rule_unknown", got=got, scheme=scheme)
        return rule

    def unique(self, i: int, dep: str, rule: Rule, period: str, ok: bool) -> bool:
        """Whether the entry is the department's first of a once-a-year rule, or of a shortfall
        rule in its half-year (a shortfall repeat is reported only of an entry otherwise `ok`)."""
        path = f"entries[{i}]"
        if rule.kind == RuleKind.SHORTFALL:
            first = self.shortfall_seen.setdefault((dep, rule.id, period), i)
            if ok and first != i:
                message = f"department {dep} already has a {rule.id} entry for {period} (entries[{first}])"
                params = {"department": dep, "rule": rule.id, "period": period, "other": first}
                self.p.add(path, message, "entry_shortfall_twice", **params)
                return False
            return True
        first = self.once_seen.setdefault((dep, rule.id), i)
        if first != i:
            message = f"rule {rule.id} is once a year and department {dep} already has it (entries[{first}])"
            params = {"department": dep, "rule": rule.id, "other": first}
            self.p.add(path, message, "entry_once_twice", **params)
            return False
        return True
