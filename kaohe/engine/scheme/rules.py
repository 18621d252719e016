"""Reading a scheme's categories, items and rules."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from kaohe.engine.scheme.base import ReaderBase
from kaohe.engine.scheme.model import (
    DEPARTMENT_TYPES,
    DIRECTIONS,
    RULE_KINDS,
    Category,
    Item,
    Modifier,
    Rule,
)
from kaohe.engine.vocabulary import RuleKind


class RuleReader(ReaderBase):
    """Reads the scheme's content part: categories of items of rules."""

    def categories(self, value: object, offices: Mapping[str, str]) -> tuple[Category, ...]:
        if not isinstance(value, list) or not value:
            self.p.add(self.loc("categories"), "must be a non-empty list", "categories")
            return ()
        out, seen_items, seen_rules, seen_codes = [], set[int](), set[str](), set[str]()
        for ci, raw in enumerate(value):
            path = f"categories[{ci}]"
            c = self.obj(raw, path, {"code", "name", "points", "items"})
            if c is None:
                continue
            code = self.text(c.get("code"), f"{path}.code")
            if code in seen_codes:
                message = f"category {code!r} appears twice"
                self.p.add(self.loc(f"{path}.code"), message, "code_twice", code=code)
            seen_codes.add(code)
            items = []
            raw_items = c.get("items")
            if not isinstance(raw_items, list):
                self.p.add(self.loc(f"{path}.items"), "must be a list", "not_list")
                raw_items = []
            for ii, raw_item in enumerate(raw_items):
                item = self.item(raw_item, f"{path}.items[{ii}]", code, offices, seen_rules)
                if item is None:
                    continue
                if item.number in seen_items:
                    message = f"item {item.number} appears twice"
                    where = self.loc(f"{path}.items[{ii}].number")
                    self.p.add(where, message, "item_twice", code=item.number)
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
            self.p.add(self.loc(f"{path}.rules"), "must be a list", "not_list")
            raw_rules = []
        for ri, raw_rule in enumerate(raw_rules):
            rule = self.rule(raw_rule, f"{path}.rules[{ri}]", category, number, offices)
            if rule is None:
                continue
            if rule.id in seen:
                message = f"rule {rule.id!r} appears twice"
                self.p.add(self.loc(f"{path}.rules[{ri}].id"), message, "code_twice", code=rule.id)
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
        self.rule_kind(r, path)
        amount, low, high, quota = self.rule_amounts(r, path)
        once = r.get("once_a_year", False)
        if not isinstance(once, bool):
            self.p.add(self.loc(f"{path}.once_a_year"), "must be true or false", "boolean")
        if once and kind == RuleKind.SHORTFALL:
            message = "a shortfall rule is per half-year"
            self.p.add(self.loc(f"{path}.once_a_year"), message, "shortfall_once")
        modifiers = self.modifiers(r.get("modifiers", {}), f"{path}.modifiers")
        if kind == RuleKind.SHORTFALL and modifiers:
            message = "a shortfall rule takes no modifiers"
            self.p.add(self.loc(f"{path}.modifiers"), message, "shortfall_modifiers")
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

    def rule_kind(self, r: dict[str, Any], path: str) -> None:
        """The rule's direction and kind, and the amount fields its kind needs."""
        direction, kind = r.get("direction"), r.get("kind")
        if direction not in DIRECTIONS:
            self.p.add(
                self.loc(f"{path}.direction"), "must be 'deduct' or 'bonus'", "rule_direction"
            )
        if kind not in RULE_KINDS:
            message = "must be 'each', 'range' or 'shortfall'"
            self.p.add(self.loc(f"{path}.kind"), message, "rule_kind")
        needs = {"each": {"amount"}, "range": {"min", "max"}, "shortfall": {"amount", "quota"}}
        for key in ("amount", "min", "max", "quota"):
            if isinstance(kind, str) and kind in needs and (key in r) != (key in needs[kind]):
                verb = "needs" if key in needs[kind] else "must not have"
                code = "rule_needs" if key in needs[kind] else "rule_must_not_have"
                self.p.add(
                    self.loc(path), f"a {kind} rule {verb} {key!r}", code, kind=kind, key=key
                )

    def rule_amounts(
        self, r: dict[str, Any], path: str
    ) -> tuple[Fraction | None, Fraction | None, Fraction | None, dict[str, int]]:
        """The rule's amount, its range (min, max) and its quota, where it has them."""
        amount = low = high = None
        quota: dict[str, int] = {}
        if "amount" in r:
            amount = self.number(r["amount"], f"{path}.amount", positive=True)
        if "min" in r and "max" in r:
            low = self.number(r["min"], f"{path}.min", positive=True)
            high = self.number(r["max"], f"{path}.max", positive=True)
            if low > high:
                self.p.add(self.loc(path), "min must not exceed max", "rule_min_max")
        if "quota" in r:
            quota = self.quota(r["quota"], f"{path}.quota")
        return amount, low, high, quota

    def quota(self, value: object, path: str) -> dict[str, int]:
        q = self.obj(value, path, set(DEPARTMENT_TYPES))
        if q is None:
            return {}
        return {t: self.integer(q.get(t), f"{path}.{t}") for t in DEPARTMENT_TYPES if t in q}

    def modifiers(self, value: object, path: str) -> dict[str, Modifier]:
        if not isinstance(value, dict):
            self.p.add(
                self.loc(path), "must be an object of code → {name, factor}", "modifiers_map"
            )
            return {}
        out = {}
        for code, raw in value.items():
            m = self.obj(raw, f"{path}.{code}", {"name", "factor"})
            if m is None:
                continue
            factor = self.number(m.get("factor"), f"{path}.{code}.factor", positive=True)
            out[code] = Modifier(code, self.text(m.get("name"), f"{path}.{code}.name"), factor)
        return out
