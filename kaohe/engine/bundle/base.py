"""What every part of the bundle reader shares: the problems found, and checks of JSON's shape."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from kaohe.engine.bundle.jsondoc import DupDict, describe
from kaohe.engine.numbers import parse_number
from kaohe.engine.problems import Problems


class ReaderBase:
    """Records every problem of a bundle document as its parts are read."""

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
        """The value if it is an object (its repeated, missing and unknown keys reported)."""
        if not isinstance(value, dict):
            got = describe(value)
            self.p.add(path, f"must be an object, got {got}", "not_object", got=got)
            return None
        if type(value) is DupDict:
            for key in value.duplicates:
                self.p.add(path, f"field {key!r} appears twice", "field_twice", key=key)
        for key in sorted(required - value.keys()):
            self.p.add(path, f"missing field {key!r}", "field_missing", key=key)
        for key in sorted(value.keys() - allowed):
            self.p.add(path, f"unknown field {key!r}", "field_unknown", key=key)
        return value

    def array(self, value: object, path: str) -> list[Any]:
        """The value if it is a list, else no items (reported)."""
        if not isinstance(value, list):
            got = describe(value)
            self.p.add(path, f"must be a list, got {got}", "not_list", got=got)
            return []
        return value

    def strings(self, d: dict[str, Any], path: str, keys: tuple[str, ...]) -> bool:
        """Whether those of `keys` that `d` has are strings (each other one reported)."""
        ok = True
        for key in keys:
            if key in d and type(d[key]) is not str:
                self.p.add(f"{path}.{key}", "must be a string", "not_string")
                ok = False
        return ok
