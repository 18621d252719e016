"""The scheme's form editor: the fields that change from year to year, each addressed by its
path in the scheme's JSON document; posted values are put at their paths, the engine checks the
whole document, and each problem is shown beside the field whose path it names.

Values stay as the document keeps them: decimal strings (never floats), integers for counts.

    fields      the fields by JSON path, in sections
    edits       the posted values put into a copy of the document; a new rule, a new office
    placing     the engine's problems beside their fields
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kaohe.core.problems import problem_text
from kaohe.engine.problems import InvalidInput, Problem
from kaohe.engine.scheme import parse_scheme
from kaohe.years.schemeform.edits import apply_edits, new_part_fields
from kaohe.years.schemeform.fields import (
    RULE_KIND_LABELS,
    Field,
    Section,
    all_fields,
    editor_sections,
    sections_with,
)
from kaohe.years.schemeform.placing import place_problems

__all__ = [
    "RULE_KIND_LABELS",
    "EditorPage",
    "all_fields",
    "editor_page",
    "editor_sections",
    "engine_problems",
]


def engine_problems(doc: dict[str, Any]) -> list[Problem]:
    """Every problem the engine finds in the document (none: it is a valid scheme)."""
    try:
        parse_scheme(doc)
    except InvalidInput as exc:
        return list(exc.problems)
    return []


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
