"""Each of the engine's problems beside the field whose path it names, in Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kaohe.core.problems import problem_message, problem_text
from kaohe.engine.problems import Problem
from kaohe.years.schemeform.fields import Field


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
