"""Every role against every page of the years, accounts, audit, home and ledger pages.

URL names are collected from the resolver, so a new page without a row here fails the test
`test_every_page_is_in_the_matrix` until its expected outcomes are written down.

Outcomes: ok (200, or a redirect that is not to the login page), login (302 to the login page),
forbidden (403), hidden (404: the record's existence must not leak).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kaohe.ledger.models import Entry, Evidence, Objection
from kaohe.years.models import SchemeDocument
from tests.web.conftest import World
from tests.web.factories import UserFactory, add_entry

pytestmark = pytest.mark.django_db

ROLES = (
    "office",
    "clerk_zh",
    "clerk_rs",
    "head_js",
    "liaison_js",
    "head_xx",
    "leader",
    "party",
    "outsider",
    "anonymous",
)
NAMESPACES = {"years", "accounts", "audit", "ledger"}
ALL_ROLES = set(ROLES) - {"anonymous"}
READERS = {"office", "leader", "party"}
CLERKS = {"clerk_zh", "clerk_rs"}
JS_MEMBERS = {"head_js", "liaison_js"}


def only(allowed: set[str], *, hidden: set[str] = frozenset(), default: str = "forbidden") -> dict:
    """Outcomes by role: ok for `allowed`, hidden for `hidden`, `default` for the rest."""
    out = {r: "ok" if r in allowed else "hidden" if r in hidden else default for r in ROLES}
    out["anonymous"] = "login"
    return out


# Who sees the submitted JS entry recorded by 综合处: readers of everything, 综合处, JS itself.
SEES_SUBMITTED = READERS | {"clerk_zh"} | JS_MEMBERS
# Who sees a draft: readers of everything and the recording office; a department never.
SEES_DRAFT = READERS | {"clerk_zh"}


def on_entry(seen_by: set[str], allowed: set[str]) -> dict:
    """An entry page: allowed ones ok, others who see the entry refused, the rest told nothing."""
    return only(allowed, hidden=ALL_ROLES - seen_by)


@dataclass(frozen=True)
class Page:
    """A URL name, how to fill its arguments, the method, and the outcome per role."""

    name: str
    args: Callable[[World, dict[str, Any]], list[Any]]
    expected: dict[str, str]
    method: str = "get"


def year(w: World, o: dict[str, Any]) -> list[Any]:
    return [w.year.year]


def none(w: World, o: dict[str, Any]) -> list[Any]:
    return []


def obj(key: str) -> Callable[[World, dict[str, Any]], list[Any]]:
    return lambda w, o: [o[key]]


OFFICE_ONLY = only({"office"})
ANY_ROLE = only(ALL_ROLES - {"outsider"})
LOGGED_IN = only(ALL_ROLES)

PAGES = [
    # home and accounts
    Page("home", none, {r: "ok" for r in ROLES}),
    Page("accounts:password_change", none, LOGGED_IN),
    Page("accounts:password_change_done", none, LOGGED_IN),
    # years
    Page("years:list", none, OFFICE_ONLY),
    Page("years:new", none, OFFICE_ONLY),
    Page("years:new", none, OFFICE_ONLY, "post"),
    Page("years:detail", year, ANY_ROLE),
    Page("years:scheme", year, ANY_ROLE),
    Page("years:departments", year, OFFICE_ONLY),
    Page("years:departments", year, OFFICE_ONLY, "post"),
    Page("years:overview", year, only(READERS)),
    Page(
        "years:department",
        lambda w, o: [w.year.year, "JS"],
        only(READERS | JS_MEMBERS, hidden={"clerk_zh", "clerk_rs", "head_xx"}),
    ),
    Page(
        "years:self_assessment",
        lambda w, o: [w.year.year, "JS"],
        only(READERS | JS_MEMBERS, hidden={"clerk_zh", "clerk_rs", "head_xx"}),
    ),
    Page(
        "years:self_assessment",
        lambda w, o: [w.year.year, "JS"],
        only(JS_MEMBERS, hidden={"clerk_zh", "clerk_rs", "head_xx"}),
        "post",
    ),
    Page("years:schemes", none, OFFICE_ONLY),
    Page("years:scheme_copy", none, OFFICE_ONLY),
    Page("years:scheme_copy", none, OFFICE_ONLY, "post"),
    Page("years:scheme_edit", obj("scheme_id"), OFFICE_ONLY),
    Page("years:scheme_edit", obj("scheme_id"), OFFICE_ONLY, "post"),
    Page("years:org_list", none, OFFICE_ONLY),
    Page("years:org_new", none, OFFICE_ONLY),
    Page("years:org_new", none, OFFICE_ONLY, "post"),
    Page("years:org_edit", lambda w, o: ["JS"], OFFICE_ONLY),
    Page("years:org_edit", lambda w, o: ["JS"], OFFICE_ONLY, "post"),
    Page("years:org_staff", lambda w, o: ["JS"], OFFICE_ONLY),
    Page("years:org_staff", lambda w, o: ["JS"], OFFICE_ONLY, "post"),
    # audit
    Page("audit:events", none, OFFICE_ONLY),
    # ledger: lists and recording
    Page("ledger:entries", year, ANY_ROLE),
    Page("ledger:ledger_xlsx", year, ANY_ROLE),
    Page("ledger:review", year, OFFICE_ONLY),
    Page("ledger:entry_new", year, only(CLERKS)),
    Page("ledger:entry_new", year, only(CLERKS), "post"),
    Page("ledger:entry_fields", year, only(CLERKS)),
    Page("ledger:entry_preview", year, only(CLERKS)),
    Page("ledger:batch", year, only(CLERKS)),
    Page("ledger:batch_template", year, only(CLERKS)),
    # ledger: one entry
    Page("ledger:entry_detail", obj("submitted"), on_entry(SEES_SUBMITTED, SEES_SUBMITTED)),
    Page("ledger:entry_edit", obj("draft"), on_entry(SEES_DRAFT, {"clerk_zh"})),
    Page("ledger:entry_edit", obj("draft"), on_entry(SEES_DRAFT, {"clerk_zh"}), "post"),
    Page("ledger:entry_submit", obj("draft"), on_entry(SEES_DRAFT, {"clerk_zh"}), "post"),
    Page("ledger:entry_confirm", obj("submitted"), on_entry(SEES_SUBMITTED, {"office"}), "post"),
    Page("ledger:entry_return", obj("submitted"), on_entry(SEES_SUBMITTED, {"office"}), "post"),
    Page("ledger:entry_decide", obj("submitted"), on_entry(SEES_SUBMITTED, {"office"}), "post"),
    Page("ledger:entry_void", obj("submitted"), on_entry(SEES_SUBMITTED, {"office"}), "post"),
    Page("ledger:objection_raise", obj("confirmed"), on_entry(SEES_SUBMITTED, {"head_js"}), "post"),
    Page("ledger:objection_detail", obj("objection"), on_entry(SEES_SUBMITTED, SEES_SUBMITTED)),
    Page(
        "ledger:objection_resolve",
        obj("objection"),
        on_entry(SEES_SUBMITTED, {"office"}),
        "post",
    ),
    Page("ledger:evidence", obj("evidence"), on_entry(SEES_SUBMITTED, SEES_SUBMITTED)),
]


def url_names() -> set[str]:
    """Every named URL of the namespaces under test, and the home page."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{prefix}{p.name}"

    names = set(walk(get_resolver().url_patterns, ""))
    return {n for n in names if n == "home" or n.split(":")[0] in NAMESPACES}


def test_every_page_is_in_the_matrix() -> None:
    missing = url_names() - {p.name for p in PAGES}
    assert not missing, f"pages without expected outcomes in the access matrix: {sorted(missing)}"


@pytest.fixture(autouse=True)
def isolated_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def records(world: World) -> dict[str, Any]:
    """The records the pages are opened on: JS entries of 综合处, an objection, evidence, a scheme."""
    submitted = add_entry(world.year, world.js, "1.report_missed", status="submitted")
    draft = add_entry(world.year, world.js, "1.report_missed", status="draft")
    confirmed = add_entry(world.year, world.js, "1.report_missed", status="confirmed")
    for e in (submitted, draft, confirmed):
        Entry.objects.filter(pk=e.pk).update(created_by=world.clerk_zh)
    objection = Objection.objects.create(entry=submitted, raised_by=world.head_js, reason="异议")
    evidence = Evidence(
        entry=submitted,
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=world.clerk_zh,
    )
    evidence.file.save(evidence.id.hex, ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    SchemeDocument.objects.create(
        scheme_id="draft-2017", name="草案", document={"id": "draft-2017"}
    )
    return {
        "submitted": submitted.pk,
        "draft": draft.pk,
        "confirmed": confirmed.pk,
        "objection": objection.pk,
        "evidence": evidence.pk,
        "scheme_id": "draft-2017",
    }


def outcome(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code in (200, 302):
        return "ok"
    return {403: "forbidden", 404: "hidden"}.get(response.status_code, str(response.status_code))


# Pages of apps still being built join the matrix as soon as their URL names exist.
CASES = [(page, role) for page in PAGES if page.name in url_names() for role in ROLES]


@pytest.mark.parametrize(
    ("page", "role"), CASES, ids=[f"{p.name}-{p.method}-{r}" for p, r in CASES]
)
def test_access(world: World, records: dict[str, Any], page: Page, role: str) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    url = reverse(page.name, args=page.args(world, records))
    response = getattr(client, page.method)(url)
    try:
        assert outcome(response) == page.expected[role]
    finally:
        response.close()


@pytest.mark.parametrize("name", ["years:detail", "years:overview", "years:departments"])
def test_a_year_that_does_not_exist_is_not_found(world: World, name: str) -> None:
    client = Client()
    client.force_login(world.office)
    assert client.get(reverse(name, args=[1999])).status_code == 404


def test_unknown_schemes_and_departments_are_not_found_for_the_office_only(world: World) -> None:
    office, clerk = Client(), Client()
    office.force_login(world.office)
    clerk.force_login(world.clerk_zh)
    for name, args in (("years:scheme_edit", ["nope"]), ("years:org_edit", ["NOPE"])):
        assert office.get(reverse(name, args=args)).status_code == 404
        assert clerk.get(reverse(name, args=args)).status_code == 403


def test_the_admin_is_for_superusers_alone_and_history_is_read_only(world: World) -> None:
    staff = UserFactory(is_staff=True)
    root = UserFactory(is_staff=True, is_superuser=True)
    for user, expected in ((world.office, 302), (staff, 302), (root, 200)):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/").status_code == expected
    client = Client()
    client.force_login(root)
    assert client.get("/admin/ledger/entry/").status_code == 200
    assert client.get("/admin/ledger/entry/add/").status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    # departments change on the office's pages (audited); roles with `kaohe roles` (audited)
    assert client.get("/admin/org/department/add/").status_code == 403
    assert client.get("/admin/accounts/role/add/").status_code == 403
