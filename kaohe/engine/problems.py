"""Problems found in input, each with its JSON location and a plain sentence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at a JSON location such as `entries[12].amount`.

    `code` and `params`, where given, let a user interface word the problem in its own language.
    """

    location: str
    message: str
    code: str = field(default="", compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InvalidInput(Exception):
    """Raised with every problem found; nothing was computed or stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Problems:
    """Collects problems while a document is checked, so all of them can be reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, location: str, message: str, code: str = "", **params: Any) -> None:
        """Record one problem, with a code and parameters for other languages if given."""
        self.items.append(Problem(location, message, code, params))

    def raise_if_any(self) -> None:
        """Raise InvalidInput if anything was recorded."""
        if self.items:
            raise InvalidInput(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
