"""Reading a bundle: every part of the document checked, every problem recorded with its location.

A bundle with any problem is rejected whole: `parse_bundle` raises InvalidInput listing every
problem found. Nothing is ever ignored silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaohe.engine.bundle.entries import EntryReader
from kaohe.engine.bundle.items import ItemReader
from kaohe.engine.bundle.jsondoc import describe, plain_json
from kaohe.engine.bundle.model import (
    BUNDLE_FORMAT,
    DEPARTMENT_KEYS,
    TOP_OPTIONAL,
    TOP_REQUIRED,
    Bundle,
    Department,
)
from kaohe.engine.decisions import Decisions, read_decisions
from kaohe.engine.limits import MAX_RANK, MAX_YEAR, MIN_YEAR
from kaohe.engine.problems import InvalidInput, Problems
from kaohe.engine.scheme import (
    DEPARTMENT_TYPES,
    NOT_UNICODE,
    Scheme,
    builtin_scheme,
    builtin_scheme_ids,
    is_unicode_text,
    parse_scheme,
)


def parse_bundle(doc: object) -> Bundle:
    """Validate a decoded bundle and build it; InvalidInput lists every problem."""
    problems = Problems()
    bundle = BundleReader(problems).read(doc)
    problems.raise_if_any()
    assert bundle is not None
    return bundle


class BundleReader(EntryReader, ItemReader):
    """Walks a bundle document, recording every problem."""

    def read(self, doc: object) -> Bundle | None:
        """The bundle, or None if any problem was found."""
        d = self.obj(doc, "", TOP_REQUIRED | TOP_OPTIONAL, TOP_REQUIRED)
        if d is None:
            return None
        self.format_and_year(d)
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
            year=int(d["year"]),
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

    def format_and_year(self, d: dict[str, Any]) -> None:
        """The bundle's format is this one; its year one the product can hold."""
        if "format" in d and d["format"] != BUNDLE_FORMAT:
            got = describe(d["format"])
            message = f"must be {BUNDLE_FORMAT!r}, got {got}"
            self.p.add("format", message, "bundle_format", expected=BUNDLE_FORMAT, got=got)
        year = d.get("year")
        if "year" in d and (
            isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR
        ):
            got = describe(year)
            message = f"must be an integer from {MIN_YEAR} to {MAX_YEAR}, got {got}"
            self.p.add("year", message, "bundle_year", min=MIN_YEAR, max=MAX_YEAR, got=got)

    def scheme(self, value: object) -> Scheme | None:
        """A built-in scheme named by id, or one given inline (its problems located within)."""
        if isinstance(value, str):
            try:
                return builtin_scheme(value)
            except KeyError:
                known = ", ".join(builtin_scheme_ids())
                message = f"unknown scheme {value!r} (built in: {known})"
                self.p.add("scheme", message, "scheme_unknown", scheme=value, known=known)
                return None
        if isinstance(value, dict):
            try:
                return parse_scheme(plain_json(value), at="scheme")
            except InvalidInput as exc:
                self.p.items.extend(exc.problems)
                return None
            except RecursionError:
                self.p.add("scheme", "is nested too deeply", "nested_too_deeply")
                return None
        self.p.add("scheme", "must be a scheme id or a scheme object", "scheme_reference")
        return None

    def departments(self, value: object) -> tuple[Department, ...]:
        """The year's departments, each code once."""
        out: list[Department] = []
        seen: set[str] = set()
        for i, raw in enumerate(self.array(value, "departments")):
            path = f"departments[{i}]"
            d = self.obj(raw, path, DEPARTMENT_KEYS, {"code", "type"})
            if d is None:
                continue
            code = self.department_code(d, path, seen)
            if code is None:
                continue
            dtype = d.get("type")
            if "type" in d and dtype not in DEPARTMENT_TYPES:
                got = describe(dtype)
                message = f"must be 'service' or 'general', got {got}"
                self.p.add(f"{path}.type", message, "department_type", got=got)
            name = d.get("name", code)
            self.text(name, f"{path}.name")
            parent = d.get("parent")
            if parent is not None:
                self.text(parent, f"{path}.parent")
            out.append(Department(code, str(name), str(dtype), parent))
        return tuple(out)

    def department_code(self, d: dict[str, Any], path: str, seen: set[str]) -> str | None:
        """The department's code: a non-empty text, not seen before (else reported)."""
        code = d.get("code")
        if not isinstance(code, str) or not code.strip():
            got = describe(code)
            self.p.add(
                f"{path}.code", f"must be a non-empty string, got {got}", "not_text", got=got
            )
            return None
        if not is_unicode_text(code):
            self.p.add(f"{path}.code", NOT_UNICODE, "not_unicode")
            return None
        if code in seen:
            message = f"department {code!r} appears twice"
            self.p.add(f"{path}.code", message, "department_twice", department=code)
        seen.add(code)
        return code

    def text(self, value: object, path: str) -> None:
        """A string that is Unicode text (else reported)."""
        if not isinstance(value, str):
            self.p.add(path, "must be a string", "not_string")
        elif not is_unicode_text(value):
            self.p.add(path, NOT_UNICODE, "not_unicode")

    def previous_ranks(self, value: object, codes: Mapping[str, Department]) -> dict[str, int]:
        """Last year's rank of some of this year's departments."""
        if not isinstance(value, dict):
            got = describe(value)
            message = f"must be an object of department code → rank, got {got}"
            self.p.add("previous_ranks", message, "not_object", got=got)
            return {}
        self.obj(value, "previous_ranks", set(value), set())
        out = {}
        for code, rank in value.items():
            path = f"previous_ranks.{code}"
            if code not in codes:
                message = (
                    f"unknown department {code!r} (leave out departments not assessed this year)"
                )
                self.p.add(path, message, "previous_rank_unknown", department=code)
            if type(rank) is not int or not 1 <= rank <= MAX_RANK:
                got = describe(rank)
                message = f"must be an integer from 1 to {MAX_RANK}, got {got}"
                self.p.add(path, message, "previous_rank", max=MAX_RANK, got=got)
            else:
                out[code] = rank
        return out
