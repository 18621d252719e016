"""The scheme's form editor: the fields that change from year to year, each addressed by its
path in the scheme's JSON document; posted values are put at their paths, the engine checks the
whole document, and each problem is shown beside the field whose path it names.

Values stay as the document keeps them: decimal strings (never floats), integers for counts.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.constants import Honor, period_label
from kaohe.core.problems import problem_message, problem_text
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.scheme import DEPARTMENT_TYPES, HONOR_KEYS, PERIODS, parse_scheme
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


def _path(keys: Iterable[Key]) -> str:
    """The engine's location of a place in the document: categories[0].items[1].points."""
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else k)
    return out


def _field(keys: tuple[Key, ...], label: str, value: object, kind: str = "decimal") -> Field:
    return _f(_path(keys), keys, label, value, kind)


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
            fields.append(_f(_path(keys) + f".rounds.{period}", (), label, held.get(period), ""))
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


def engine_problems(doc: dict[str, Any]) -> list[Problem]:
    """Every problem the engine finds in the document (none: it is a valid scheme)."""
    try:
        parse_scheme(doc)
    except InvalidInput as exc:
        return list(exc.problems)
    return []


def all_fields(sections: Iterable[Section]) -> list[Field]:
    """Every field of the sections."""
    return [f for s in sections for g in s.groups for f in g.fields]


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
                place = _path(("categories", ci, "items", ii, "rules", len(item["rules"])))
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
        prefix = _path(("evaluation", "kinds", ki)) + ".rounds."
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


# --- problems beside their fields -----------------------------------------------------------


def _aliased(location: str, aliases: Mapping[str, str]) -> str:
    """The location with a new part's place replaced by the form's name for it."""
    for place in sorted(aliases, key=len, reverse=True):
        rest = location.removeprefix(place)
        if rest != location and (not rest or rest[0] in ".["):
            return aliases[place] + rest
    return location


def _candidates(problem: Problem, location: str) -> list[str]:
    """The fields a problem may be shown beside, the best first."""
    key = problem.params.get("key")
    found = [location]
    if problem.code == "rule_min_max":
        found.append(f"{location}.max")
    if key is not None:
        found.append(f"{location}.{key}")
    # A problem inside a field's value (offices[0]): beside the field.
    trimmed = location
    while "[" in trimmed or "." in trimmed:
        trimmed = trimmed[: max(trimmed.rfind("["), trimmed.rfind("."))]
        found.append(trimmed)
    return found


def place_problems(
    problems: Iterable[Problem], fields: Iterable[Field], aliases: Mapping[str, str]
) -> list[str]:
    """Put each problem's Chinese words beside the field its location names; the problems no
    field matches are returned, with their locations, for the top of the page."""
    by_name = {f.name: f for f in fields}
    top: list[str] = []
    for problem in problems:
        location = _aliased(problem.location, aliases)
        name = next((c for c in _candidates(problem, location) if c in by_name), None)
        if name is None:
            top.append(problem_text(problem))
        else:
            by_name[name].errors.append(problem_message(problem))
    return top


# --- the page -------------------------------------------------------------------------------


@dataclass
class EditorPage:
    """The form editor as shown: its sections, the new parts, the problems no field names, and
    the edited document when the engine accepts it (to be saved)."""

    sections: list[Section]
    new: list[Field]
    top: list[str]
    posted: bool = False
    broken: bool = False
    valid: dict[str, Any] | None = None

    @property
    def refused(self) -> list[tuple[str, str]]:
        """(where, field name) of each field that carries a problem, in the page's order, for
        the links at the top of the page: "业务工作 · 年度考核目标完成不好或未完成 · 上限"."""
        found = [
            (" · ".join(t for t in (s.title, g.title, f.label) if t), f.name)
            for s in self.sections
            for g in s.groups
            for f in g.fields
            if f.errors
        ]
        found += [(str(_("Add a rule")) + " · " + f.label, f.name) for f in self.new if f.errors]
        return found


def editor_page(doc: dict[str, Any], post: Mapping[str, str] | None) -> EditorPage:
    """The editor for a document, with what was posted (None: not posted) put in and checked."""
    stored = engine_problems(doc)
    if stored:  # a document only the JSON editor can mend
        return EditorPage([], [], [problem_text(p) for p in stored], broken=True)
    if post is None:
        return EditorPage(editor_sections(doc), new_part_fields(doc, {}), [])
    edited = apply_edits(doc, post)
    problems = [] if edited.field_errors else engine_problems(edited.document)
    top = place_problems(problems, [*edited.fields, *edited.new], edited.aliases)
    ok = not problems and not edited.field_errors
    sections = sections_with(doc, edited.fields)
    return EditorPage(sections, edited.new, top, True, valid=edited.document if ok else None)
