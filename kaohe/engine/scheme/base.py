"""What every part of the scheme reader shares: locations, and checks of values."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Any

from kaohe.engine.numbers import parse_number
from kaohe.engine.problems import Problems


class ReaderBase:
    """Walks a scheme document, recording problems instead of stopping at the first."""

    def __init__(self, problems: Problems, at: str) -> None:
        self.p = problems
        self.at = at

    def loc(self, path: str) -> str:
        """The location of `path` within the document the scheme is part of."""
        if not self.at:
            return path
        return f"{self.at}.{path}" if path and not path.startswith("[") else f"{self.at}{path}"

    def obj(
        self,
        value: object,
        path: str,
        required: AbstractSet[str],
        optional: AbstractSet[str] = frozenset(),
    ) -> dict[str, Any] | None:
        """Check that value is an object with the required keys and no unknown ones."""
        if not isinstance(value, dict):
            self.p.add(self.loc(path), "must be an object", "not_object")
            return None
        for key in sorted(required - value.keys()):
            self.p.add(self.loc(path), f"missing field {key!r}", "field_missing", key=key)
        for key in sorted(value.keys() - required - optional):
            self.p.add(self.loc(path), f"unknown field {key!r}", "field_unknown", key=key)
        return value

    def text(self, value: object, path: str, *, empty: bool = False) -> str:
        """The value if it is a (non-empty) string, else "" (reported)."""
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.p.add(self.loc(path), "must be a non-empty string", "not_text")
            return ""
        return value

    def number(self, value: object, path: str, *, positive: bool = False) -> Fraction:
        """The value as an exact non-negative (positive) number, else 0 (reported)."""
        number = parse_number(value)
        if number is None:
            # A JSON float arrives as a float, or from load_json as a str subclass: show it bare.
            shown = str(value) if isinstance(value, str) and type(value) is not str else repr(value)
            message = f'must be a decimal string such as "0.5", got {shown}'
            self.p.add(self.loc(path), message, "number", got=shown)
            return Fraction(0)
        if number < 0 or (positive and number == 0):
            code = "number_positive" if positive else "number_negative"
            message = f"must be {'> 0' if positive else '>= 0'}, got {value}"
            self.p.add(self.loc(path), message, code, got=value)
        return number

    def integer(self, value: object, path: str, *, minimum: int = 0) -> int:
        """The value if it is an integer of at least `minimum`, else that (reported)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            message = f"must be an integer >= {minimum}, got {value!r}"
            self.p.add(self.loc(path), message, "integer", min=minimum, got=repr(value))
            return minimum
        return value

    def codes(self, value: object, path: str, known: Mapping[str, str]) -> tuple[str, ...]:
        """A non-empty list of distinct known office codes."""
        if not isinstance(value, list) or not value:
            self.p.add(self.loc(path), "must be a non-empty list of office codes", "office_codes")
            return ()
        for i, code in enumerate(value):
            if type(code) is not str or code not in known:
                message = f"unknown office {code!r}"
                self.p.add(self.loc(f"{path}[{i}]"), message, "office_unknown", code=code)
        if len(set(map(str, value))) != len(value):
            self.p.add(self.loc(path), "lists an office twice", "office_twice")
        return tuple(str(c) for c in value)
