"""The whole UI under its Content-Security-Policy (issue 14 §4): the main pages load, htmx swaps,
the confirm prompts and the voters' script run, and the browser reports no CSP violation.

Screenshots go to $KAOHE_SHOTS (tests/browser/conftest.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditEvent
from tests.browser.conftest import Pages
from tests.web.ballots_support import issue, open_round
from tests.web.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collected in the page before any of its scripts run: every violation the browser reports.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def watched(page: Any) -> list[str]:
    """Console messages about the policy, as the page goes (added to by the page's events)."""
    seen: list[str] = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return seen


def violations(page: Any, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__csp || []"), *console]


def test_the_main_pages_work_under_the_policy(pages: Pages) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 1)])
    page = pages.login(world.office)
    console = watched(page)
    for path in (
        reverse("home"),
        reverse("years:overview", args=[2016]),
        reverse("years:department", args=[2016, "JS"]),
        reverse("ledger:entries", args=[2016]),
        reverse("ledger:review", args=[2016]),
        reverse("results:proposal", args=[2016]),
        reverse("ballots:round", args=[round.pk]),
        reverse("audit:events"),
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        assert response.headers.get("content-security-policy"), path
        assert page.evaluate("typeof htmx") == "object", path
        assert violations(page, console) == [], path
    # htmx under the policy: the audit filter swaps the list in and keeps the address
    page.select_option("#id_target_type", "round")
    page.wait_for_url("**/audit/?*target_type=round*")
    pages.settled(page)
    assert "共 1 条" in page.locator("#events").inner_text()  # the round opened, alone
    pages.shot(page, "csp-audit-desktop")
    # a confirm prompt (data-confirm, site.js): dismissed, nothing is sent
    page.goto(base + reverse("ballots:round", args=[round.pk]))
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="结束并计票").click()
    page.wait_for_timeout(300)
    assert asked == ["确定结束本轮测评吗？结束后不再接受投票。"]
    assert page.url.endswith(reverse("ballots:round", args=[round.pk]))
    round.refresh_from_db()
    assert round.is_open
    assert violations(page, console) == []


def test_the_voters_page_works_under_the_policy(pages: Pages) -> None:
    world, base = pages.world, pages.base
    round = open_round(world, groups=[("中层正职", 1)])
    (code,) = issue(world, round)["中层正职"]
    page = pages.open("phone")
    console = watched(page)
    page.goto(f"{base}/v/#{code}")  # vote.js moves the code from the fragment into the form
    page.get_by_role("heading", name="评价各处室").wait_for()
    page.locator("fieldset").first.get_by_text("优秀", exact=True).click()
    assert "1 / " in page.locator("#progress").inner_text()  # vote.js counts the choices
    pages.shot(page, "csp-vote-phone")
    assert violations(page, console) == []


def test_the_admin_works_under_the_policy(pages: Pages) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    audit_record(
        by=admin,
        action=AuditAction.ROLE_GRANT,
        target_type=AuditTarget.ROLE,
        target_id="1",
        after={"kind": "leader"},
    )
    page = pages.login(admin)
    console = watched(page)
    event = AuditEvent.objects.get(
        action=AuditAction.ROLE_GRANT
    )  # the superuser's login has one too
    for path in (
        "/admin/",
        "/admin/audit/auditevent/",
        f"/admin/audit/auditevent/{event.pk}/change/",
    ):
        response = page.goto(pages.base + path)
        assert response is not None and response.status == 200, path
        assert violations(page, console) == [], path
