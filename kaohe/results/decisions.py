"""The party group's decisions on a proposal: the recommended departments and boundary ties.

The engine gives every department tied across an honor's boundary that honor and flags it
`boundary_tie` (rules.md §5); the party group settles each such group by choosing who keeps
it. Pure functions over the engine's Results, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from kaohe.engine.results import HONOR_ORDER, DepartmentResult, Results
from kaohe.engine.scheme import HonorSizes


@dataclass(frozen=True)
class TieGroup:
    """Departments tied across the boundary of `honor`; `slots` places remained before it."""

    honor: str
    codes: tuple[str, ...]
    slots: int


def _key(d: DepartmentResult) -> Hashable:
    return (d.total, d.content, d.evaluation_total)


def _groups(
    items: Sequence[DepartmentResult], key: Callable[[DepartmentResult], Hashable]
) -> list[tuple[int, list[DepartmentResult]]]:
    """Runs of equal key with their competition place (1, 2, 2, 4), as the engine ranks."""
    out: list[tuple[int, list[DepartmentResult]]] = []
    for position, d in enumerate(items, start=1):
        if out and key(out[-1][1][0]) == key(d):
            out[-1][1].append(d)
        else:
            out.append((position, [d]))
    return out


def _straddling(
    groups: Iterable[tuple[int, list[DepartmentResult]]], honor: str, first: int, last: int
) -> list[TieGroup]:
    """Groups starting within places first..last that run past `last`."""
    return [
        TieGroup(honor, tuple(d.code for d in group), last - place + 1)
        for place, group in groups
        if first <= place <= last < place + len(group) - 1
    ]


def boundary_ties(results: Results, sizes: HonorSizes) -> list[TieGroup]:
    """Every group the party group must settle (the recommended pair is always chosen anyway)."""
    eligible = [d for d in results.departments if not d.vetoed]
    tiers = _groups(eligible, _key)
    ties = _straddling(tiers, "advanced", 1, sizes.advanced)
    ties += _straddling(tiers, "praised", sizes.advanced + 1, sizes.advanced + sizes.praised)
    risers = sorted(
        (
            d
            for d in eligible
            if not {"advanced", "praised"} & set(d.honors) and d.rise is not None and d.rise > 0
        ),
        key=lambda d: (-(d.rise or 0), d.rank, d.code),
    )
    ties += _straddling(_groups(risers, lambda d: (d.rise, d.rank)), "progress", 1, sizes.progress)
    backwards = list(reversed(results.departments))
    ties += _straddling(_groups(backwards, _key), "bottom", 1, sizes.bottom)
    return ties


def default_recommended(results: Results, sizes: HonorSizes) -> list[str]:
    """The proposal: the first `recommended` advanced departments in ranking order."""
    return [d.code for d in results.departments if "advanced" in d.honors][: sizes.recommended]


def final_honors(
    results: Results,
    ties: Iterable[TieGroup],
    kept: Mapping[str, Iterable[str]],
    recommended: Iterable[str],
) -> dict[str, list[str]]:
    """Honors after the decisions: of each tie group, `kept[honor]` keep the honor.

    A department left out of a tied `advanced` group drops to `praised` (the next tier at its
    place); left out of any other tied group it simply loses that honor. `recommended` replaces
    the engine's proposal.
    """
    honors = {d.code: set(d.honors) - {"recommended"} for d in results.departments}
    for group in ties:
        keep = set(kept.get(group.honor, group.codes))
        for code in set(group.codes) - keep:
            honors[code].discard(group.honor)
            if group.honor == "advanced":
                honors[code].add("praised")
    for code in recommended:
        honors[code].add("recommended")
    return {code: [h for h in HONOR_ORDER if h in hs] for code, hs in honors.items()}


def decision_problems(
    results: Results,
    sizes: HonorSizes,
    ties: Sequence[TieGroup],
    kept: Mapping[str, Iterable[str]],
    recommended: Sequence[str],
) -> list[str]:
    """What is wrong with the decisions, as codes of problems (the form words them)."""
    problems = []
    for group in ties:
        keep = set(kept.get(group.honor, ()))
        if not keep <= set(group.codes) or len(keep) < group.slots:
            problems.append(f"tie:{group.honor}")
    advanced = {
        code for code, hs in final_honors(results, ties, kept, ()).items() if "advanced" in hs
    }
    wanted = min(sizes.recommended, len(advanced))
    if len(set(recommended)) != wanted or not set(recommended) <= advanced:
        problems.append("recommended")
    return problems
