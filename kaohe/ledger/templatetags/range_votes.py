"""The year hub's links to the secret ballots, asked of kaohe/access (only that page loads it)."""

from __future__ import annotations

from typing import Any

from django import template

from kaohe.access import ledger as ledger_access
from kaohe.years.models import Year

register = template.Library()


@register.simple_tag
def vote_links(user: Any, year: Year) -> dict[str, bool]:
    """Whether the user follows the year's secret ballots, and whether one awaits their vote."""
    return {
        "see": ledger_access.may_see_votes(user, year),
        "mine": ledger_access.account_codes(user).filter(vote__year=year).exists(),
    }
