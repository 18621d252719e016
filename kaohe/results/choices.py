"""The party group's choices on the confirmation page, carried to the engine and worded back.

Which groups are tied, what places they had left and whom the recommended are chosen from is
the engine's to say (kaohe.engine.settle, through selectors.confirmation): nothing here derives
a tie or an honor. This module reads the choices from a form, starts a form from the year's
standing decisions, and words in Chinese, by code, what the engine reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from kaohe.constants import Honor, honor_name
from kaohe.core.problems import problem_message
from kaohe.engine import Decisions, Problem, Settlement, TieGroup
from kaohe.engine.decisions import TIE_TIERS
from kaohe.results.selectors import Proposal


def tie_field(tier: str) -> str:
    """The form field of a tier's tied group."""
    return f"tie_{tier}"


def decisions_of(recommended: Sequence[str], ties: Mapping[str, Sequence[str]]) -> Decisions:
    """Ticked departments as the engine's decisions: nothing ticked is not decided yet."""
    return Decisions(
        tuple(recommended) or None, {t: tuple(ties[t]) for t in TIE_TIERS if ties.get(t)}
    )


def choices_from(data: Any) -> Decisions:
    """The choices posted (a QueryDict), as the form names them."""
    ties = {t: data.getlist(tie_field(t)) for t in TIE_TIERS}
    return decisions_of(data.getlist("recommended"), ties)


def initial_choices(proposal: Proposal) -> Decisions:
    """What the form starts from: the standing decisions that still fit (a correction starts
    from the choices published), else for the recommended the engine's proposal where it is
    not tied across its boundary."""
    applied = proposal.settlement.applied
    if applied.recommended is not None:
        return applied
    tied = {c for g in proposal.settlement.open_groups if g.tier == "recommended" for c in g.codes}
    proposed = tuple(
        d.code
        for d in proposal.results.departments
        if "recommended" in d.honors and d.code not in tied
    )
    return Decisions(proposed or None, applied.ties)


def _names(codes: Any, names: Mapping[str, str]) -> str:
    return "、".join(names.get(c, c) for c in codes)


def group_text(group: TieGroup, names: Mapping[str, str]) -> str:
    """A tied group still to be decided, in words."""
    return _(
        "%(tier)s: %(names)s are tied across the boundary with %(left)s places left; the party group decides."
    ) % {"tier": honor_name(group.tier), "names": _names(group.codes, names), "left": group.left}


def problem_text(problem: Problem, names: Mapping[str, str]) -> str:
    """An engine problem with the party group's choices, in Chinese (worded by its code, with the
    tier's and the departments' names)."""
    p = problem.params
    words = {
        "tier": honor_name(tier) if (tier := _tier_of(problem)) in Honor.values else "",
        "department": names.get(str(p.get("department", "")), str(p.get("department", ""))),
        "group": _names(p.get("group", ()), names),
    }
    return problem_message(problem, **words)


def _tier_of(problem: Problem) -> str:
    """The tier a decision problem is about, from its location (decisions.ties.<tier>)."""
    return problem.location.removeprefix("decisions.ties.").removeprefix("decisions.")


def pending_texts(settlement: Settlement, names: Mapping[str, str]) -> list[str]:
    """What keeps the choices from being published: every problem, then every open group
    (the recommended: at least how many to choose)."""
    texts = [problem_text(p, names) for p in settlement.problems]
    worded = {_tier_of(p) for p in settlement.problems}
    for group in settlement.open_groups:
        if group.tier not in worded:
            texts.append(group_text(group, names))
            worded.add(group.tier)
    choice = settlement.recommended
    if choice.count and not choice.decided and "recommended" not in worded:
        texts.append(
            _("Recommended: choose %(n)s among the advanced departments.") % {"n": choice.count}
        )
    return texts
