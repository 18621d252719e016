"""Reads for the assessment office's members and its secret ballots (views/votes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from kaohe.engine.rangevote import amount_choices
from kaohe.engine.vocabulary import RuleKind
from kaohe.ledger.models import Entry, EntryStatus, RangeVote, RangeVoteItem
from kaohe.years.models import Year


def pending_range_entries(year: Year) -> QuerySet[Entry]:
    """The year's submitted range entries not yet put to an open vote, by reference."""
    range_rules = [r.id for r in year.scheme.rules.values() if r.kind == RuleKind.RANGE]
    return (
        Entry.objects.filter(year=year, status=EntryStatus.SUBMITTED, rule_id__in=range_rules)
        .exclude(vote_items__vote__status="open")
        .select_related("year", "department")
        .order_by("ref")
    )


def year_votes(year: Year) -> QuerySet[RangeVote]:
    """The year's secret ballots, newest first, with how many members voted in each."""
    return (
        RangeVote.objects.filter(year=year)
        .annotate(
            voted=Count("codes", filter=Q(codes__used=True), distinct=True),
            entries=Count("items", distinct=True),
        )
        .order_by("-opened_at", "-id")
    )


@dataclass(frozen=True)
class BallotLine:
    """One entry on a member's ballot: what it is and the amounts they may choose."""

    item: RangeVoteItem
    rule_name: str
    choices: list[Decimal]
    chosen: str


def ballot_lines(vote: RangeVote, chosen: dict[str, str] | None = None) -> list[BallotLine]:
    """The entries of the vote as a member's ballot shows them, with the amounts on the step."""
    chosen = chosen or {}
    items = vote.items.select_related("entry__department", "entry__year").order_by("id")
    lines = []
    for item in items:
        rule = item.entry.year.scheme.rules.get(item.entry.rule_id)
        lines.append(
            BallotLine(
                item,
                rule.name if rule else item.entry.rule_id,
                amount_choices(item.low, item.high, vote.step),
                chosen.get(str(item.entry_id), ""),
            )
        )
    return lines


def vote_outcome_rows(vote: RangeVote) -> list[dict[str, Any]]:
    """The closed vote's count per entry (no names), for its page."""
    items = (vote.outcome or {}).get("items", {})
    return [{"ref": ref, **row} for ref, row in items.items()]
