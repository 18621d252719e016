"""Template context shared by every page: who is logged in, what they may do, and the year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from kaohe.access import audit as audit_access
from kaohe.access import ballots as ballot_access
from kaohe.access import ledger as ledger_access
from kaohe.access import org as org_access
from kaohe.access import results as result_access
from kaohe.access import roles as role_access
from kaohe.access import years as year_access
from kaohe.results.selectors import latest_publication
from kaohe.years.models import Year


@dataclass(frozen=True)
class Capabilities:
    """What the user may do, for templates to branch on instead of roles (`may.review`)."""

    use: bool  # has any role: may use the application
    manage_years: bool  # years, their departments, the scheme library
    manage_org: bool  # departments and staff
    see_overview: bool  # every department's page and the overview
    see_results: bool  # the live computation: the proposal, after publication 当前计算(未发布)
    record: bool  # records entries in the latest year
    review: bool  # the review queue: confirming, returning, deciding, voiding
    manage_rounds: bool  # evaluation rounds and ballot codes
    see_audit: bool  # the audit trail


def capabilities(user: Any, year: Year | None) -> Capabilities:
    """The user's capabilities, each asked of the predicate that decides it in kaohe/access."""
    return Capabilities(
        use=role_access.is_staff_user(user),
        manage_years=year_access.may_manage_years(user),
        manage_org=org_access.may_manage_org(user),
        see_overview=year_access.may_see_overview(user),
        see_results=year is not None and _sees_live_results(user, year),
        record=year is not None and bool(ledger_access.record_offices(user, year)),
        review=ledger_access.may_review(user),
        manage_rounds=ballot_access.may_manage_rounds(user),
        see_audit=audit_access.may_see_audit(user),
    )


def _sees_live_results(user: Any, year: Year) -> bool:
    """may_see_live_results for the menu; whether the year is published is asked only when it
    decides (a reader of everything who is not the office), so other pages keep their queries."""
    if not result_access.may_see_proposal(user):
        return False
    if result_access.may_see_live_results(user, published=True):
        return True
    published = latest_publication(year) is not None
    return result_access.may_see_live_results(user, published=published)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's roles (for the header), the latest year (for the menu) and `may`."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = role_access.roles(user)
    year = Year.objects.order_by("-year").first() if roles else None
    return {
        "nav_roles": [str(r) for r in roles],
        "nav_year": year,
        "may": capabilities(user, year),
    }
