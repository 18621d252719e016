"""The form editor's fields: each addressed by its path in the scheme's JSON document, with the
document's value as text; grouped per office list, category, item, rule, evaluation kind, honors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import Honor, period_label
from kaohe.engine.scheme import DEPARTMENT_TYPES, HONOR_KEYS, PERIODS
from kaohe.engine.vocabulary import RuleKind

RULE_KIND_LABELS = {
    RuleKind.EACH: gettext_lazy("per unit"),
    RuleKind.RANGE: gettext_lazy("decided within a range"),
    RuleKind.SHORTFALL: gettext_lazy("per unit short of a quota"),
}
MAX_VALUE = 500  # characters of one field: names are short, numbers shorter
INTEGER_RE = re.compile(r"-?[0-9]{1,9}")
CODES_SPLIT = re.compile(r"[\s,，、;；]+")
Key = str | int


@dataclass
class Field:
    """One input: its name (the JSON path), where it sits in the document, its value and kind."""

    name: str
    keys: tuple[Key, ...]
    label: str
    value: str
    kind: str = "decimal"  # decimal, integer, text, codes, choice
    errors: list[str] = field(default_factory=list)
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Group:
    """A row of fields: a rule, an item, a category's header, a kind."""

    title: str
    fields: list[Field]
    note: str = ""


@dataclass
class Section:
    """A part of the editor: the offices, a category, the evaluation, the honors."""

    title: str
    groups: list[Group]


def _shown(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _f(name: str, keys: tuple[Key, ...], label: str, doc_value: object, kind: str) -> Field:
    return Field(name, keys, label, _shown(doc_value), kind)


def json_path(keys: Iterable[Key]) -> str:
    """The engine's location of a place in the document: categories[0].items[1].points."""
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out


def _field(keys: tuple[Key, ...], label: str, value: object, kind: str = "decimal") -> Field:
    return _f(json_path(keys), keys, label, value, kind)


def _rule_group(rule: dict[str, Any], keys: tuple[Key, ...]) -> Group:
    fields = [_field((*keys, "name"), _("Name"), rule.get("name"), "text")]
    for key, label in (("amount", _("Amount")), ("min", _("Least")), ("max", _("Largest"))):
        if key in rule:
            fields.append(_field((*keys, key), label, rule[key]))
    for t in DEPARTMENT_TYPES if "quota" in rule else ():
        label = _("Quota (%(type)s)") % {"type": _type_name(t)}
        fields.append(_field((*keys, "quota", t), label, rule["quota"].get(t), "integer"))
    for code, m in rule.get("modifiers", {}).items():
        label = _("Factor: %(name)s") % {"name": m.get("name", code)}
        fields.append(_field((*keys, "modifiers", code, "factor"), label, m.get("factor")))
    fields.append(_field((*keys, "offices"), _("Recording offices"), rule.get("offices"), "codes"))
    return Group(str(rule.get("name", "")), fields)


SHORT_TYPES = {
    "service": gettext_lazy("business departments"),
    "general": gettext_lazy("comprehensive departments"),
}


def _type_name(code: str) -> str:
    """A department type in a field's label, short: 业务部门, 综合部门."""
    return str(SHORT_TYPES[code]) if code in SHORT_TYPES else code


def _category_section(doc: dict[str, Any], ci: int) -> Section:
    c = doc["categories"][ci]
    keys: tuple[Key, ...] = ("categories", ci)
    head = Group(
        "",
        [
            _field((*keys, "name"), _("Category's name"), c.get("name"), "text"),
            _field((*keys, "points"), _("Points"), c.get("points")),
        ],
    )
    groups = [head]
    for ii, item in enumerate(c.get("items", [])):
        ik = (*keys, "items", ii)
        title = _("Item %(number)s") % {"number": item.get("number")}
        groups.append(
            Group(
                title,
                [
                    _field((*ik, "title"), _("Item's title"), item.get("title"), "text"),
                    _field((*ik, "offices"), _("Offices"), item.get("offices"), "codes"),
                ],
            )
        )
        groups += [_rule_group(r, (*ik, "rules", ri)) for ri, r in enumerate(item["rules"])]
    return Section(str(c.get("name", "")), groups)


def _evaluation_section(doc: dict[str, Any]) -> Section:
    grades = [
        _field(("evaluation", "grades", gi, "coefficient"), str(g.get("name")), g["coefficient"])
        for gi, g in enumerate(doc["evaluation"]["grades"])
    ]
    groups = [Group(_("Grade coefficients"), grades)]
    for ki, k in enumerate(doc["evaluation"]["kinds"]):
        keys: tuple[Key, ...] = ("evaluation", "kinds", ki)
        fields = [
            _field((*keys, "points", t), _("Points (%(type)s)") % {"type": _type_name(t)}, p)
            for t, p in k.get("points", {}).items()
        ]
        held = {r.get("period"): r.get("weight", "1") for r in k.get("rounds", [])}
        for period in PERIODS:
            label = _("Weight of the round: %(period)s") % {"period": period_label(period)}
            fields.append(
                _f(json_path(keys) + f".rounds.{period}", (), label, held.get(period), "")
            )
        note = _("Leave a round's weight empty for a round not held.")
        groups.append(Group(str(k.get("name", "")), fields, note))
    return Section(_("Evaluation"), groups)


def editor_sections(doc: dict[str, Any]) -> list[Section]:
    """The editor's sections for a scheme document, with its values."""
    offices = [
        _field(("offices", code), code, name, "text") for code, name in doc["offices"].items()
    ]
    sections = [Section(_("Offices"), [Group(_("Names of the offices"), offices)])]
    sections += [_category_section(doc, ci) for ci in range(len(doc["categories"]))]
    sections.append(_evaluation_section(doc))
    honors = doc.get("honors", {})
    sizes = [_honor_field(key, honors.get(key)) for key in HONOR_KEYS]
    sections.append(Section(_("Honor sizes"), [Group(_("Number of departments"), sizes)]))
    return sections


def _honor_field(key: str, value: object) -> Field:
    return _field(("honors", key), str(Honor(key).label), value, "integer")


def sections_with(doc: dict[str, Any], fields: Iterable[Field]) -> list[Section]:
    """The editor's sections showing the posted fields (values and errors) in their places."""
    posted = {f.name: f for f in fields}
    sections = editor_sections(doc)
    for s in sections:
        for g in s.groups:
            g.fields = [posted.get(f.name, f) for f in g.fields]
    return sections


def all_fields(sections: Iterable[Section]) -> list[Field]:
    """Every field of the sections."""
    return [f for s in sections for g in s.groups for f in g.fields]
