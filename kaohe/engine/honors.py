"""The honors of rules.md §5.3–5.5, tier by tier, each on the result of the decisions before it.

A tied group straddling a tier's boundary gets the tier whole and `boundary_tie`, unless the
party group's decision names who of it keeps the tier: then the others stand just below the
chosen ones for the next tier, and the whole group is flagged `tie_settled`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from kaohe.engine.decisions import TIE_TIERS, Decisions, RecommendedChoice, TieGroup
from kaohe.engine.problems import Problem, Problems
from kaohe.engine.ranking import Standing, groups
from kaohe.engine.scheme import HonorSizes


@dataclass(frozen=True)
class Honors:
    """What awarding the honors found: the straddling groups, the recommended choice, the
    decisions applied, and the problems of those that could not be (left out)."""

    groups: tuple[TieGroup, ...]
    recommended: RecommendedChoice
    applied: Decisions
    problems: tuple[Problem, ...]


def _key(s: Standing) -> Hashable:
    return s.key


def award_honors(ordered: list[Standing], sizes: HonorSizes, decisions: Decisions) -> Honors:
    """Give every honor to `ordered` (rank, code order), applying the valid decisions."""
    tiers = _Tiers(decisions)
    eligible = [s for s in ordered if not s.vetoed]
    advanced, rest = tiers.award("advanced", groups(eligible, _key), sizes.advanced)
    choice = tiers.recommend(advanced, sizes.recommended)
    # Places continue after the advanced ones: a department left out of a settled advanced
    # group stands just below the chosen ones, first in line for praised.
    praised_size = sizes.advanced + sizes.praised
    tiers.award("praised", groups(rest, _key, start=len(advanced)), praised_size)
    tiers.award("progress", _risers(eligible), sizes.progress)
    tiers.award("bottom", groups(list(reversed(ordered)), _key), sizes.bottom)
    applied = Decisions(tiers.recommended, tiers.kept)
    return Honors(tuple(tiers.groups), choice, applied, tuple(tiers.problems.items))


def _rise(s: Standing) -> int:
    return (s.previous_rank or 0) - s.rank


def _risers(eligible: list[Standing]) -> list[tuple[int, list[Standing]]]:
    """争先进位's candidates: eligible, not advanced or praised, risen; by rise, then rank."""
    risers = [
        s
        for s in eligible
        if not s.honors & {"advanced", "praised"} and s.previous_rank is not None and _rise(s) > 0
    ]
    risers.sort(key=lambda s: (-_rise(s), s.rank, s.code))
    return groups(risers, lambda s: (_rise(s), s.rank))


class _Tiers:
    """Awards tier after tier, keeping the groups met, the decisions applied, the problems."""

    def __init__(self, decisions: Decisions) -> None:
        self.decisions = decisions
        self.groups: list[TieGroup] = []
        self.kept: dict[str, tuple[str, ...]] = {}
        self.recommended: tuple[str, ...] | None = None
        self.problems = Problems()

    def award(
        self, tier: str, ranked: Sequence[tuple[int, list[Standing]]], size: int
    ) -> tuple[list[Standing], list[Standing]]:
        """`tier` to the groups within `size` places; returns holders and the others, in order."""
        won: list[Standing] = []
        rest: list[Standing] = []
        straddled = False
        for place, group in ranked:
            if place > size:
                rest += group
            elif place + len(group) - 1 <= size:
                won += group
            else:
                straddled = True
                keep = self._settle(tier, group, size - place + 1)
                won += [s for s in group if keep is None or s.code in keep]
                rest += [s for s in group if keep is not None and s.code not in keep]
        if tier in self.decisions.ties and not straddled:
            self.problems.add(
                f"decisions.ties.{tier}",
                f"no tied group straddles the {tier} boundary",
                "decision_no_tie",
                tier=tier,
            )
        for s in won:
            s.honors.add(tier)
        return won, rest

    def _settle(self, tier: str, group: list[Standing], left: int) -> set[str] | None:
        """Who of a straddling group keeps `tier` (None: all, still to be decided)."""
        codes = tuple(sorted(s.code for s in group))  # tied: ranking order is code order
        chosen = self.decisions.ties.get(tier) if tier in TIE_TIERS else None
        ok = chosen is not None and self._fits(tier, codes, left, chosen)
        self.groups.append(TieGroup(tier, codes, left, ok))
        for s in group:
            s.flags.add("tie_settled" if ok else "boundary_tie")
        if not ok or chosen is None:
            return None
        self.kept[tier] = chosen
        return set(chosen)

    def _fits(self, tier: str, codes: tuple[str, ...], left: int, chosen: tuple[str, ...]) -> bool:
        at = f"decisions.ties.{tier}"
        group = ", ".join(codes)
        ok = self._distinct(at, chosen) & self._within(
            at, chosen, codes, f"in the tied group {group}", "decision_not_in_group", tier=tier
        )
        if ok and len(chosen) < left:
            ok = False
            self.problems.add(
                at,
                f"keep at least {left} of the tied group {group} (the places it had left), got {len(chosen)}",
                "decision_too_few",
                tier=tier,
                left=left,
                kept=len(chosen),
            )
        return ok

    def _distinct(self, at: str, chosen: tuple[str, ...]) -> bool:
        """Whether no department is named twice (the bundle reader says so first; built
        decisions are checked here)."""
        repeated = sorted({c for c in chosen if chosen.count(c) > 1})
        for code in repeated:
            self.problems.add(
                at, f"department {code} is listed twice", "decision_repeated", department=code
            )
        return not repeated

    def _within(
        self,
        at: str,
        chosen: tuple[str, ...],
        members: tuple[str, ...],
        where: str,
        code: str,
        **params: object,
    ) -> bool:
        """Whether every chosen department is one of `members`; each other one is a problem."""
        outside = [c for c in chosen if c not in members]
        for c in outside:
            self.problems.add(at, f"department {c} is not {where}", code, department=c, **params)
        return not outside

    def recommend(self, advanced: list[Standing], size: int) -> RecommendedChoice:
        """推荐: the party group's choice among the advanced, else the first `size` of them."""
        candidates = tuple(s.code for s in advanced)
        count = min(size, len(advanced))
        chosen = self.decisions.recommended
        if chosen is not None and self._recommendable(chosen, candidates, count):
            self.recommended = chosen
            for s in advanced:
                if s.code in chosen:
                    s.honors.add("recommended")
            return RecommendedChoice(candidates, count, True)
        self.award("recommended", groups(advanced, _key), size)
        return RecommendedChoice(candidates, count, False)

    def _recommendable(
        self, chosen: tuple[str, ...], candidates: tuple[str, ...], count: int
    ) -> bool:
        at = "decisions.recommended"
        ok = self._distinct(at, chosen) & self._within(
            at, chosen, candidates, "among the advanced departments", "recommended_not_advanced"
        )
        if ok and len(chosen) != count:
            ok = False
            self.problems.add(
                at,
                f"recommend exactly {count} of the advanced departments, got {len(chosen)}",
                "recommended_count",
                count=count,
                given=len(chosen),
            )
        return ok
