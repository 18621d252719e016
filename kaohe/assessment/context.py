"""Template context shared by every page: who is logged in, what they may do, and the year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from kaohe.access import accounts as account_access
from kaohe.access import audit as audit_access
from kaohe.access import ballots as ballot_access
from kaohe.access import ledger as ledger_access
from kaohe.access import org as org_access
from kaohe.access import results as result_access
from kaohe.access import roles as role_access
from kaohe.access import targets as target_access
from kaohe.access import years as year_access
from kaohe.accounts.notifications import unread_count
from kaohe.results.selectors import latest_publication
from kaohe.years.models import Year


@dataclass(frozen=True)
class YearLink:
    """One year in the year switcher: where it leads and whether it is the page's year."""

    year: int
    url: str
    current: bool


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
    see_accounts: bool  # the account pages (system and security administrators)
    manage_accounts: bool  # creates, disables, re-enables accounts, resets passwords
    export_audit: bool  # the audit trail as a workbook or CSV
    compare_self_assessments: bool  # every form beside the assessed scores, all forms at once
    see_circulars: bool  # the published half-year supervision circulars (督查通报)
    see_individual_report: bool  # the individual report of the page's year (seed §六.3)
    clear_lockouts: bool  # the current lockouts and their clearing (security administrator)
    manage_security: bool  # the security settings page (security administrator)
    see_login_records: bool  # logins, failures, lockouts, second factor (audit administrator)
    see_targets: bool  # the year's annual targets (the office, supervising leaders, departments)
    propose: bool  # turns missing reports into proposed entries (综合处, the office)
    see_deadlines: bool  # the year's deadlines and who is done (readers, department members)


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
        see_accounts=account_access.may_see_accounts(user),
        manage_accounts=account_access.may_manage_accounts(user),
        export_audit=audit_access.may_export_audit(user),
        compare_self_assessments=result_access.may_compare_self_assessments(user),
        see_circulars=result_access.may_see_circulars(user),
        see_individual_report=year is not None
        and ledger_access.may_see_individual_report(user, year),
        clear_lockouts=account_access.may_clear_lockouts(user),
        manage_security=account_access.may_manage_security(user),
        see_login_records=account_access.may_see_login_records(user),
        see_targets=target_access.may_see_targets(user),
        propose=year is not None and target_access.may_propose(user, year),
        see_deadlines=year_access.may_see_deadlines(user),
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
    """The user's roles (for the header), the page's year (else the latest: for the menu), the
    year switcher and `may`."""
    user = request.user
    if not user.is_authenticated:
        return {}
    roles = role_access.roles(user)
    unread = unread_count(user)  # the bell: one query
    match = request.resolver_match
    wanted = match.kwargs.get("year") if match is not None else None
    years = year_access.visible_years(user, scheme_of=_number(wanted)) if roles else []
    year = _page_year(request, years)
    may = capabilities(user, year)
    return {
        "nav_roles": [str(r) for r in roles],
        "nav_year": year,
        "nav_years": [_year_link(request, y, y == year) for y in years],
        "may": may,
        "nav_unread": unread,
        # The menu's links depend on the year and the capabilities only: rendered once per
        # process for each (base.html, kaohe.core.fragments).
        "nav_menu_key": ("menu", year.year if year is not None else None, may),
    }


def _number(value: object) -> int | None:
    """A URL's year as a number (None if it has none)."""
    return value if isinstance(value, int) else None


def _page_year(request: HttpRequest, years: list[Year]) -> Year | None:
    """The year the page is of (its URL's `year`), so the menu stays in it; else the latest."""
    match = request.resolver_match
    wanted = match.kwargs.get("year") if match is not None else None
    return next((y for y in years if y.year == wanted), years[0] if years else None)


def _year_link(request: HttpRequest, year: Year, current: bool) -> YearLink:
    """The same page of another year where the page is a year's (its URL has only `year`);
    otherwise that year's hub (a record of one year has no twin in another)."""
    match = request.resolver_match
    url = None
    if match is not None and set(match.kwargs) == {"year"}:
        try:
            url = reverse(match.view_name, kwargs={"year": year.year})
        except NoReverseMatch:
            url = None
    return YearLink(year.year, url or reverse("years:detail", args=[year.year]), current)
