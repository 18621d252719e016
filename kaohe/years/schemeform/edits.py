"""Putting the posted values at their paths in a copy of the document, and the new parts (a rule
added to an item, an office): values stay decimal strings, counts integers, never floats."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kaohe.engine.scheme import PERIODS
from kaohe.engine.vocabulary import RuleKind
from kaohe.years.schemeform.fields import (
    CODES_SPLIT,
    INTEGER_RE,
    MAX_VALUE,
    RULE_KIND_LABELS,
    Field,
    Key,
    all_fields,
    editor_sections,
    json_path,
)

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _value(f: Field, raw: str) -> object:
    """A posted value as the document keeps it; a wrong one stays text for the engine to name."""
    raw = raw.strip()
    if f.kind == "integer" and INTEGER_RE.fullmatch(raw):
        return int(raw)
    if f.kind == "codes":
        return [c for c in CODES_SPLIT.split(raw) if c]
    return raw


def _put(doc: Any, keys: tuple[Key, ...], value: object) -> None:
    for k in keys[:-1]:
        doc = doc[k]
    doc[keys[-1]] = value


# --- a new rule and a new office ----------------------------------------------------------

KIND_NEEDS = {
    RuleKind.EACH: ("amount",),
    RuleKind.RANGE: ("min", "max"),
    RuleKind.SHORTFALL: ("amount", "quota.service", "quota.general"),
}


def new_part_fields(doc: dict[str, Any], post: Mapping[str, str]) -> list[Field]:
    """The fields of "add a rule" and "add an office", with what was posted."""
    items = [
        (str(i["number"]), f"{i['number']}、{i.get('title', '')}")
        for c in doc["categories"]
        for i in c["items"]
    ]
    kinds = [(str(k), str(RULE_KIND_LABELS[k])) for k in RuleKind]
    directions = [("deduct", _("deduction")), ("bonus", _("bonus"))]
    specs: list[tuple[str, str, str, list[tuple[str, str]]]] = [
        ("new_rule.item", _("Item"), "choice", items),
        ("new_rule.id", _("Rule id (e.g. 1.new_rule)"), "text", []),
        ("new_rule.name", _("Name"), "text", []),
        ("new_rule.direction", _("Deduction or bonus"), "choice", directions),
        ("new_rule.kind", _("How the amount is found"), "choice", kinds),
        ("new_rule.unit", _("Unit (次, 项, 篇 …)"), "text", []),
        ("new_rule.amount", _("Amount (each, shortfall)"), "decimal", []),
        ("new_rule.min", _("Least (range)"), "decimal", []),
        ("new_rule.max", _("Largest (range)"), "decimal", []),
        ("new_rule.quota.service", _("Quota of a business department (shortfall)"), "integer", []),
        (
            "new_rule.quota.general",
            _("Quota of a comprehensive department (shortfall)"),
            "integer",
            [],
        ),
        ("new_rule.offices", _("Recording offices"), "codes", []),
        ("new_office.code", _("Code of a new office"), "text", []),
        ("new_office.name", _("Name of the new office"), "text", []),
    ]
    out = []
    for name, label, kind, choices in specs:
        f = Field(name, (), label, post.get(name, ""), kind)
        f.choices = choices
        out.append(f)
    return out


def _new_rule(doc: dict[str, Any], new: Mapping[str, Field], aliases: dict[str, str]) -> None:
    """Append the rule of "add a rule", if an id was given, to the chosen item."""
    raw = {name.removeprefix("new_rule."): f.value.strip() for name, f in new.items()}
    if not raw["id"]:
        return
    rule: dict[str, Any] = {k: raw[k] for k in ("id", "name", "direction", "kind", "unit")}
    needs = KIND_NEEDS.get(RuleKind(raw["kind"])) if raw["kind"] in set(RuleKind) else ()
    for key in needs or ():
        if key.startswith("quota."):
            rule.setdefault("quota", {})[key.removeprefix("quota.")] = _integer(raw[key])
        elif raw[key]:
            rule[key] = raw[key]
    rule["offices"] = [c for c in CODES_SPLIT.split(raw["offices"]) if c]
    for ci, c in enumerate(doc["categories"]):
        for ii, item in enumerate(c["items"]):
            if str(item.get("number")) == raw["item"]:
                place = json_path(("categories", ci, "items", ii, "rules", len(item["rules"])))
                item["rules"].append(rule)
                aliases[place] = "new_rule"
                return
    new["new_rule.item"].errors.append(_("Choose an item."))


def _integer(raw: str) -> object:
    return int(raw) if INTEGER_RE.fullmatch(raw) else raw


def _new_office(doc: dict[str, Any], new: Mapping[str, Field], aliases: dict[str, str]) -> None:
    code, name = new["new_office.code"].value.strip(), new["new_office.name"].value.strip()
    if not code:
        return
    if code in doc["offices"]:
        new["new_office.code"].errors.append(_("This office already exists."))
        return
    doc["offices"][code] = name
    aliases[f"offices.{code}"] = "new_office.name"


@dataclass
class Edited:
    """The document with the posted values; the fields as posted (the scheme's, then the new
    parts'); the aliases of new parts (their place in the document → the form's name)."""

    document: dict[str, Any]
    fields: list[Field]
    new: list[Field]
    aliases: dict[str, str]

    @property
    def field_errors(self) -> bool:
        """Whether a field was refused before the engine saw it (too long, no such item)."""
        return any(f.errors for f in [*self.fields, *self.new])


def apply_edits(doc: dict[str, Any], post: Mapping[str, str]) -> Edited:
    """A copy of the document with every posted field put at its path, and the new parts."""
    edited = copy.deepcopy(doc)
    fields = all_fields(editor_sections(doc))
    new = new_part_fields(doc, post)
    aliases: dict[str, str] = {}
    for f in [*fields, *new]:
        raw = post.get(f.name)
        if raw is None:
            continue
        f.value = raw
        if len(raw) > MAX_VALUE:
            f.errors.append(_("At most %(max)s characters.") % {"max": MAX_VALUE})
        elif CONTROL.search(raw):  # a one-line field: no NUL, no line break, nothing invisible
            f.errors.append(_("Remove the control characters."))
        elif f.keys:
            _put(edited, f.keys, _value(f, raw))
    _rounds(edited, fields, aliases)
    by_name = {f.name: f for f in new}
    _new_office(edited, by_name, aliases)
    _new_rule(edited, by_name, aliases)
    return Edited(edited, fields, new, aliases)


def _rounds(doc: dict[str, Any], fields: list[Field], aliases: dict[str, str]) -> None:
    """Each kind's rounds from the weights given per period (empty: not held)."""
    for ki, kind in enumerate(doc["evaluation"]["kinds"]):
        prefix = json_path(("evaluation", "kinds", ki)) + ".rounds."
        weights = {
            f.name.removeprefix(prefix): f.value.strip()
            for f in fields
            if f.name.startswith(prefix)
        }
        if not weights:
            continue
        kind["rounds"] = []
        for period in PERIODS:
            if weights.get(period):
                aliases[f"{prefix[:-1]}[{len(kind['rounds'])}]"] = prefix + period
                kind["rounds"].append({"period": period, "weight": weights[period]})
        if not kind["rounds"]:
            aliases[prefix[:-1]] = prefix + PERIODS[-1]
