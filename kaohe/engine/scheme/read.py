"""Reading a scheme document: every part checked, every problem named with its location."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from kaohe.engine.problems import Problems
from kaohe.engine.scheme.evaluation import EvaluationReader
from kaohe.engine.scheme.model import (
    DEPARTMENT_TYPES,
    SCHEME_FORMAT,
    VETO_REASONS,
    Scheme,
)
from kaohe.engine.scheme.rules import RuleReader
from kaohe.engine.scheme.text import json_problems


def parse_scheme(doc: object, *, at: str = "") -> Scheme:
    """Validate a scheme document and build the Scheme; InvalidInput lists every problem."""
    problems = Problems()
    scheme = SchemeReader(problems, at).read(doc)
    problems.raise_if_any()
    assert scheme is not None
    return scheme


class SchemeReader(RuleReader, EvaluationReader):
    """Walks a scheme document, recording problems instead of stopping at the first."""

    def read(self, doc: object) -> Scheme | None:
        """The scheme, or None if any problem was found."""
        top = {"format", "id", "name", "offices", "department_types", "categories", "evaluation"}
        top_opt = {"year", "organisation", "issued", "honors", "veto_reasons", "description"}
        d = self.obj(doc, "", top, top_opt)
        if d is None:
            return None
        scheme_id, name, year = self.header(d)
        offices = self.named_map(d.get("offices"), "offices")
        types = self.named_map(d.get("department_types"), "department_types")
        self.exactly(types, "department_types", DEPARTMENT_TYPES, "'service' and 'general'")
        categories = self.categories(d.get("categories"), offices)
        grades, kinds, options = self.evaluation(d.get("evaluation"))
        honors = self.honors(d.get("honors", _DEFAULT_HONORS))
        vetoes = self.named_map(d.get("veto_reasons", _DEFAULT_VETOES), "veto_reasons")
        self.exactly(vetoes, "veto_reasons", VETO_REASONS, ", ".join(VETO_REASONS))
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

    def header(self, d: dict[str, Any]) -> tuple[str, str, int | None]:
        """The document's JSON problems, its format, and its id, name and year."""
        for path, message, code, params in json_problems(d):
            self.p.add(self.loc(path), message, code, **params)
        if d.get("format") != SCHEME_FORMAT:
            message = f"must be {SCHEME_FORMAT!r}"
            self.p.add(self.loc("format"), message, "scheme_format", codes=SCHEME_FORMAT)
        scheme_id = self.text(d.get("id"), "id")
        name = self.text(d.get("name"), "name")
        year = d.get("year")
        if year is not None:
            year = self.integer(year, "year", minimum=1900)
        for key in ("organisation", "issued", "description"):
            if key in d:
                self.text(d[key], key)
        return scheme_id, name, year

    def exactly(
        self, named: Mapping[str, str], path: str, expected: tuple[str, ...], codes: str
    ) -> None:
        """A map of codes that, if given, names exactly the expected codes."""
        if named and set(named) != set(expected):
            self.p.add(self.loc(path), f"must name exactly {codes}", path, codes=codes)

    def named_map(self, value: object, path: str) -> dict[str, str]:
        """A non-empty object of code → name."""
        if not isinstance(value, dict) or not value:
            self.p.add(self.loc(path), "must be a non-empty object of code → name", "named_map")
            return {}
        out: dict[str, str] = {}
        for code, name in value.items():
            if not code.strip():
                self.p.add(self.loc(path), "has an empty code", "empty_code")
            out[code] = self.text(name, f"{path}.{code}")
        return out


_DEFAULT_HONORS = {"advanced": 5, "recommended": 2, "praised": 5, "progress": 5, "bottom": 2}
_DEFAULT_VETOES = {
    "staff_investigated": "所在部门工作人员因违法违纪被查处",
    "criticised": "被通报批评",
    "act_revoked": "在行政复议、诉讼中被撤销具体行政行为或确认行政行为违法",
    "dereliction": "其他工作失职的情形",
}
