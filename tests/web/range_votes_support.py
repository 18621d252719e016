"""Helpers of the secret-ballot tests: the office's members, pending range entries, a vote."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kaohe.ledger import actions
from kaohe.ledger.models import Entry, RangeVote
from tests.web.conftest import World
from tests.web.factories import add_entry

# Seed §七: the heads of six offices; the leader directs.
HEADS = [
    "组织人事处处长",
    "办公室主任",
    "综合处处长",
    "法规处处长",
    "监察室主任",
    "机关党委专职副书记",
]


def office(w: World, *, heads: int = 6, head_accounts: dict[int, Any] | None = None) -> None:
    """The year's office: the leader directing it (with their account), and `heads` heads, the
    ones named in `head_accounts` (by index) with an account."""
    accounts = head_accounts or {}
    actions.office_member_add(
        by=w.office, year=w.year, name="李主任", post="分管领导", user=w.leader, directs=True
    )
    for i, post in enumerate(HEADS[:heads]):
        actions.office_member_add(
            by=w.office, year=w.year, name=f"成员{i + 1}", post=post, user=accounts.get(i)
        )


def pending(w: World, n: int = 1) -> list[Entry]:
    """Submitted JS entries of the range rule 1.target_unmet (1–5 a case)."""
    return [add_entry(w.year, w.js, "1.target_unmet", status="submitted") for _ in range(n)]


def open_vote(
    w: World, entries: list[Entry], step: str = "0.5", **kw: Any
) -> tuple[RangeVote, list[str]]:
    """Open a vote as the director; the printed slips' codes."""
    vote, printed = actions.range_vote_open(
        by=w.leader,
        year=w.year,
        entries=entries,
        step=Decimal(step),
        meeting="考核办第3次会议",
        **kw,
    )
    return vote, [slip.code for slip in printed]


def cast(code: str, amounts: dict[Entry, str]) -> actions.CastOutcome:
    """Cast a vote with a slip's code: entry → amount or "abstain"."""
    row = actions.vote_code_find(code)
    return actions.range_vote_cast(code=row, amounts={str(e.pk): a for e, a in amounts.items()})
