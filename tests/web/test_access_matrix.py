"""Every role against every named URL: one row per page and method, the status each role gets.

The URL names are read from the resolver: `test_every_url_name_has_a_row` fails for a page with
no row, and `test_every_row_names_a_url` for a row whose URL name no longer exists (it names the
row's line, and the new name when the same page lives on in another namespace).

Statuses: 200, 302 (a redirect that is not to the login page), LOGIN (302 to the login page),
403 (refused), 404 (the record's existence must not leak), 405 (wrong method).

The records are built once for the module (in a transaction rolled back at its end); each
request runs in a savepoint rolled back after it, so a write by one role is never seen by the next.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kaohe.ballots import actions as ballot_actions
from kaohe.ballots.models import PaperEntry, PaperScan, Round
from kaohe.ledger import actions as ledger_actions
from kaohe.ledger.models import Entry, Evidence, Objection, OfficeMember, RangeVote
from kaohe.org.models import Department
from kaohe.results import actions as result_actions
from kaohe.results.models import Attachment, PublicityObjection
from kaohe.targets import actions as target_actions
from kaohe.targets.models import Proposal, ReportEvidence, Target
from kaohe.years.models import SchemeDocument, Step
from tests.web.ballots_support import ballot_data
from tests.web.conftest import World, build_world, module_data
from tests.web.factories import (
    RoleFactory,
    UserFactory,
    add_adjustment,
    add_entry,
    add_veto,
    make_year,
)
from tests.web.results_support import hold_rounds, publish
from tests.web.urls_support import url_names as all_url_names

ROLES = (
    "office",  # 考核办
    "clerk_zh",  # 综合处 clerk, who records the JS entries below
    "clerk_rs",  # 组织人事处 clerk
    "head_js",  # head of JS, the department the entries are against
    "liaison_js",  # JS's liaison: a department member who is not its head
    "head_xx",  # head of another department
    "leader",  # 委领导
    "party",  # 党组
    "outsider",  # logged in, no role
    "sysadmin",  # 系统管理员: accounts, departments, staff, years' setup
    "secadmin",  # 安全管理员: roles
    "auditadmin",  # 审计管理员: reads the audit trail
    "anonymous",
)
LOGIN = "login"
LOGGED_IN = set(ROLES) - {"anonymous"}
ADMINS = {"sysadmin", "secadmin", "auditadmin"}  # 三员: they run the system, not the assessment
STAFF = LOGGED_IN - {"outsider"} - ADMINS  # anyone with a role in the assessment
READERS = {"office", "leader", "party"}  # read every department
CLERKS = {"clerk_zh", "clerk_rs"}
JS_MEMBERS = {"head_js", "liaison_js"}
# Who sees the confirmed JS entry recorded by 综合处: readers of everything, 综合处, JS itself.
SEES_CONFIRMED = READERS | {"clerk_zh"} | JS_MEMBERS
# Who sees it while submitted: the assessment office and 综合处; JS and leaders see confirmed
# entries only (issue 10, point 8).
SEES_SUBMITTED = {"office", "clerk_zh"}
# Who sees a draft: the recording office alone (issue 10, point 7).
SEES_DRAFT = {"clerk_zh"}
# The individual report (seed §六.3): the office, 组织人事处, each department's head (not a liaison).
INDIVIDUAL_REPORT = {"office", "clerk_rs", "head_js", "head_xx"}

# Annual targets (issue 11): the office sees all, JS's supervising leader JS's, JS its own.
SEES_TARGET = {"office", "leader"} | JS_MEMBERS
MEMBERS = JS_MEMBERS | {"head_xx"}  # department members draft their own targets
TARGET_PAGE = {"office", "leader"} | MEMBERS
PROPOSERS = {"office", "clerk_zh"}  # 综合处 owns 1.report_missed; the office runs the check
# The secret ballots on range amounts: the office and its director (the leader in these records).
VOTE_READERS = {"office", "leader"}
NEW_MEMBER = {"name": "新成员", "post": "法规处处长"}

Expected = dict[str, int | str]
# A valid change of the security settings: the environment's, with a longer minimum length.
POLICY_CHANGE = {
    "lockout_failures": 5,
    "lockout_address_failures": 5,
    "lockout_minutes": 30,
    "password_min_length": 12,
    "password_classes": 3,
    "password_max_age_days": 90,
    "password_history": 5,
    "session_idle_minutes": 30,
    "session_max_hours": 12,
}


def only(
    allowed: set[str],
    status: int = 200,
    *,
    hidden: Collection[str] = (),
    refused: int = 403,
) -> Expected:
    """`status` for `allowed`, 404 for `hidden`, `refused` for the other logged-in roles."""
    out: Expected = {r: status if r in allowed else 404 if r in hidden else refused for r in ROLES}
    out["anonymous"] = LOGIN
    return out


def everyone(status: int = 200) -> Expected:
    """The same status for every role, the anonymous visitor included (no login needed)."""
    return dict.fromkeys(ROLES, status)


def on_entry(seen_by: set[str], allowed: set[str], status: int = 200) -> Expected:
    """An entry's page: `allowed` get `status`, others who see the entry 403, the rest 404."""
    return only(allowed, status, hidden=LOGGED_IN - seen_by)


def on_target(allowed: set[str], status: int = 200) -> Expected:
    """The approved JS target's pages: `allowed` get `status`, others who see it 403, the rest 404."""
    return only(allowed, status, hidden=LOGGED_IN - SEES_TARGET)


POST_ONLY = only(LOGGED_IN, 405)  # a write opened with GET: refused before any access check
OFFICE_ONLY = only({"office"})
SETUP = only({"office", "sysadmin"})  # years' setup, departments and staff
ACCOUNTS = only({"sysadmin", "secadmin"})  # the account pages are read by both

Args = Callable[["Records"], list[Any]]
Data = Callable[["Records"], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    """A URL name, its arguments, the method (and form data), and the status per role."""

    name: str
    args: Args
    expected: Expected
    method: str = "get"
    data: Data | None = None
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        return f"{self.name} {self.method.upper()}"


def row(
    name: str, args: Args, expected: Expected, method: str = "get", data: Data | None = None
) -> Row:
    """A row of the matrix, remembering its line in this file for the failure messages."""
    return Row(name, args, expected, method, data, sys._getframe(1).f_lineno)


def none(r: Records) -> list[Any]:
    return []


def live(r: Records) -> list[Any]:
    """The unpublished year 2016, where the ledger, the rounds and the proposal are."""
    return [2016]


def done(r: Records) -> list[Any]:
    """The published year 2015 (version 1)."""
    return [2015]


def version(r: Records) -> list[Any]:
    return [2015, 1]


def pk(key: str) -> Args:
    return lambda r: [r.pks[key]]


def dispute(r: Records) -> list[Any]:
    """The open round and its paper form whose two entries differ."""
    return [r.pks["round"], r.pks["dispute"]]


def kept_scan(r: Records) -> list[Any]:
    """The open round and a scanned page kept for a person."""
    return [r.pks["round"], r.pks["scan"]]


def in_live(key: str) -> Args:
    return lambda r: [2016, r.pks[key]]


def js(r: Records) -> list[Any]:
    return [2016, "JS"]


def js_xlsx(r: Records) -> list[Any]:
    return [2016, "JS", "xlsx"]


def draft_half(r: Records) -> list[Any]:
    """The 2016 second half-year's circular, a draft of the office."""
    return [2016, "H2"]


def circular_new(r: Records) -> dict[str, Any]:
    return {"half": "H1", "number": "常经信考〔2015〕3号", "date": "2015-07-20"}


def circular_words(r: Records) -> dict[str, Any]:
    return {
        "number": "常经信考〔2017〕1号",
        "date": "2017-01-15",
        "preface": "前言",
        "conclusion": "结束语",
    }


def live_xlsx(r: Records) -> list[Any]:
    return [2016, "xlsx"]


def account(r: Records) -> list[Any]:
    """Another account, with no role: the administrators' pages are opened on it."""
    return [r.pks["account"]]


NEW_USER = {"username": "newcomer", "full_name": "新同事", "password": ""}
GRANT = {"kind": "leader", "office": "", "department": ""}


def ballot(r: Records) -> dict[str, Any]:
    """A valid code's ballot, to be reviewed before it is cast."""
    return ballot_data(r.round, {"JS": "good"}, r.code, step="review")


def objection(r: Records) -> dict[str, Any]:
    return {"department": r.world.js.pk, "text": "异议"}


def self_assessment(r: Records) -> dict[str, Any]:
    return {"filled_on": "2017-01-08", "head_name": "张处长", "score_1": "20"}


def new_target(r: Records) -> dict[str, Any]:
    """A JS target: JS's members save it; another department's head has no such choice."""
    return {
        "department": r.world.js.pk,
        "content": "目标",
        "measure": "标志",
        "due": "2016-12-31",
        "source": "duties",
        "responsible": "张三",
    }


def approval(r: Records) -> dict[str, Any]:
    return {"meeting": "会议", "meeting_date": "2016-01-28", "document_no": "常经信考〔2016〕1号"}


def deadlines(r: Records) -> dict[str, Any]:
    """Every step's deadline, the targets' a week later."""
    return {**{s.value: "2017-01-10" for s in Step}, "targets": "2016-02-07"}


def answer(r: Records) -> dict[str, Any]:
    return {"status": "replied", "answer": "已核实"}


ROWS = [
    # --- home, login, accounts ---------------------------------------------------------------
    row("home", none, everyone()),
    row("login", none, everyone()),
    row("favicon", none, everyone(302)),
    row("logout", none, everyone(405)),
    row("logout", none, everyone(302), "post"),
    row("accounts:password_change", none, only(LOGGED_IN)),
    row("accounts:password_change", none, only(LOGGED_IN), "post"),
    row("accounts:password_change_done", none, only(LOGGED_IN)),
    row("accounts:users", none, ACCOUNTS),
    row("accounts:user_new", none, only({"sysadmin"})),
    row("accounts:user_new", none, only({"sysadmin"}), "post", lambda r: NEW_USER),
    row("accounts:user", account, ACCOUNTS),
    row("accounts:user_disable", account, POST_ONLY),
    row("accounts:user_disable", account, only({"sysadmin"}, 302, refused=403), "post"),
    row("accounts:user_enable", account, POST_ONLY),
    # the account is enabled: the administrator is told so on its page
    row("accounts:user_enable", account, only({"sysadmin"}, 302), "post"),
    row("accounts:user_password_reset", account, POST_ONLY),
    row("accounts:user_password_reset", account, only({"sysadmin"}), "post"),
    row("accounts:role_grant", account, POST_ONLY),
    row("accounts:role_grant", account, only({"secadmin"}, 302), "post", lambda r: GRANT),
    row("accounts:role_revoke", pk("role"), POST_ONLY),
    # the security administrator opens it; the others are refused before any lookup
    row("accounts:role_revoke", pk("role"), only({"secadmin"}, 302), "post"),
    # the second factor: every account enrols its own (optional for most); the login's second
    # step sends an account with nothing to verify on to its page
    row("accounts:otp_enrol", none, only(LOGGED_IN)),
    row("accounts:otp_enrol", none, only(LOGGED_IN, 302), "post", lambda r: {"start": "1"}),
    row("accounts:otp_verify", none, only(LOGGED_IN, 302)),
    row("accounts:otp_verify", none, only(LOGGED_IN, 302), "post"),
    # a lost phone, the lockouts: the security administrator's; the login records: the audit
    # administrator's
    row("accounts:second_factor_reset", account, POST_ONLY),
    row("accounts:second_factor_reset", account, only({"secadmin"}, 302), "post"),
    # the security settings: the security administrator alone changes them (a valid change
    # redirects back to the page)
    row("accounts:security_policy", none, only({"secadmin"})),
    row(
        "accounts:security_policy",
        none,
        only({"secadmin"}, 302),
        "post",
        lambda r: POLICY_CHANGE,
    ),
    row("accounts:lockouts", none, only({"secadmin"})),
    row("accounts:lockout_clear", none, POST_ONLY),
    row(
        "accounts:lockout_clear", none, only({"secadmin"}, 302), "post", lambda r: {"username": "x"}
    ),
    row("accounts:login_records", none, only({"auditadmin"})),
    # one's own notifications (the bell): every account reads and marks its own
    row("accounts:notifications", none, only(LOGGED_IN)),
    row("accounts:notifications_read", none, POST_ONLY),
    row("accounts:notifications_read", none, only(LOGGED_IN, 302), "post"),
    row("accounts:login_records_export", none, only({"auditadmin"})),
    # --- years ---------------------------------------------------------------------------------
    row("years:list", none, SETUP),
    row("years:new", none, SETUP),
    row("years:new", none, SETUP, "post"),
    row("years:detail", live, only(STAFF | {"sysadmin"})),
    row("years:scheme", live, only(STAFF | {"sysadmin"})),
    row("years:departments", live, SETUP),
    row("years:departments", live, SETUP, "post"),
    # a recorded correction of the assessment office, not the system administrator's setup
    row("years:department_type_correct", live, OFFICE_ONLY),
    row("years:department_type_correct", live, OFFICE_ONLY, "post"),
    row("years:overview", live, only(READERS)),
    # the deadlines (issue 11.4): readers of everything, a department its own rows; the office
    # sets them
    row("years:deadlines", live, only(READERS | MEMBERS)),
    row("years:deadlines_edit", live, OFFICE_ONLY),
    row("years:deadlines_edit", live, only({"office"}, 302, refused=403), "post", deadlines),
    row("years:department", js, only(READERS | JS_MEMBERS, hidden={*CLERKS, "head_xx"})),
    row("years:self_assessment", js, only(READERS | JS_MEMBERS, hidden={*CLERKS, "head_xx"})),
    row(
        "years:self_assessment",
        js,
        only(JS_MEMBERS, 302, hidden={*CLERKS, "head_xx"}),
        "post",
        data=self_assessment,
    ),
    row("years:schemes", none, SETUP),
    row("years:scheme_copy", none, SETUP),
    row("years:scheme_copy", none, SETUP, "post"),
    row("years:scheme_edit", pk("scheme_id"), SETUP),
    row("years:scheme_edit", pk("scheme_id"), SETUP, "post"),
    row("years:scheme_form", pk("scheme_id"), SETUP),
    row("years:scheme_form", pk("scheme_id"), SETUP, "post"),
    # --- the organisation ----------------------------------------------------------------------
    row("years:org_list", none, SETUP),
    row("years:org_new", none, SETUP),
    row("years:org_new", none, SETUP, "post"),
    row("years:org_edit", lambda r: ["JS"], SETUP),
    row("years:org_edit", lambda r: ["JS"], SETUP, "post"),
    row("years:org_staff", lambda r: ["JS"], SETUP),
    row("years:org_staff", lambda r: ["JS"], SETUP, "post"),
    # --- audit ---------------------------------------------------------------------------------
    row("audit:events", none, only({"office", "auditadmin"})),
    # exporting the trail is the audit administrator's alone, not the office's
    row("audit:export_xlsx", none, only({"auditadmin"})),
    row("audit:export_csv", none, only({"auditadmin"})),
    # --- ledger: lists and recording -----------------------------------------------------------
    row("ledger:entries", live, only(STAFF)),
    row("ledger:ledger_xlsx", live, only(STAFF)),
    # the individual report: the office, 组织人事处's clerks, a department's head (seed §六.3)
    row("ledger:persons", live, only(INDIVIDUAL_REPORT)),
    row("ledger:persons_xlsx", live, only(INDIVIDUAL_REPORT)),
    # the office's members and its secret ballots (issue 12.3): the office records the members;
    # the director (the leader here, the directing member's account) opens and closes votes;
    # a member votes with a slip's code (no login) or from their account's page
    row("ledger:office_members", live, only(VOTE_READERS)),
    row("ledger:office_members", live, only({"office"}, 302), "post", lambda r: NEW_MEMBER),
    row("ledger:office_member_remove", pk("office_member"), POST_ONLY),
    row("ledger:office_member_remove", pk("office_member"), only({"office"}, 302), "post"),
    row("ledger:range_votes", live, only(VOTE_READERS)),
    row("ledger:range_vote_open", live, POST_ONLY),
    # an empty form: the director gets it back with its errors
    row("ledger:range_vote_open", live, only({"leader"}), "post"),
    row("ledger:range_vote", pk("range_vote"), only(VOTE_READERS)),
    row("ledger:range_vote_close", pk("range_vote"), POST_ONLY),
    row("ledger:range_vote_close", pk("range_vote"), only({"leader"}, 302), "post"),
    row("ledger:range_vote_mine", none, only(LOGGED_IN)),
    # only the leader holds a code of the open vote on their account
    row("ledger:range_vote_mine", none, only({"leader"}), "post", lambda r: r.vote_post),
    row("ledger:range_vote_ballot", none, everyone()),
    row("ledger:range_vote_ballot", none, everyone(), "post", lambda r: {"code": r.vote_code}),
    row("ledger:review", live, OFFICE_ONLY),
    row("ledger:review_bulk", live, POST_ONLY),
    # nothing selected: the office is sent back to the queue, told so (302)
    row("ledger:review_bulk", live, only({"office"}, 302), "post"),
    row("ledger:entry_new", live, only(CLERKS)),
    row("ledger:entry_new", live, only(CLERKS), "post"),
    row("ledger:entry_fields", live, only(CLERKS)),
    row("ledger:entry_preview", live, only(CLERKS)),
    row("ledger:batch", live, only(CLERKS)),
    row("ledger:batch", live, only(CLERKS), "post"),
    row("ledger:batch_template", live, only(CLERKS)),
    # --- ledger: one entry ---------------------------------------------------------------------
    row("ledger:entry_detail", pk("submitted"), on_entry(SEES_SUBMITTED, SEES_SUBMITTED)),
    row("ledger:entry_edit", pk("draft"), on_entry(SEES_DRAFT, {"clerk_zh"})),
    row("ledger:entry_edit", pk("draft"), on_entry(SEES_DRAFT, {"clerk_zh"}), "post"),
    row("ledger:entry_submit", pk("draft"), POST_ONLY),
    row("ledger:entry_submit", pk("draft"), on_entry(SEES_DRAFT, {"clerk_zh"}, 302), "post"),
    row("ledger:entry_confirm", pk("submitted"), POST_ONLY),
    row("ledger:entry_confirm", pk("submitted"), on_entry(SEES_SUBMITTED, {"office"}, 302), "post"),
    row("ledger:entry_return", pk("submitted"), POST_ONLY),
    row("ledger:entry_return", pk("submitted"), on_entry(SEES_SUBMITTED, {"office"}), "post"),
    row("ledger:entry_decide", pk("submitted"), POST_ONLY),
    # the submitted entry's rule has a fixed amount: the office is told so and sent back (302)
    row("ledger:entry_decide", pk("submitted"), on_entry(SEES_SUBMITTED, {"office"}, 302), "post"),
    row("ledger:entry_void", pk("submitted"), POST_ONLY),
    row("ledger:entry_void", pk("submitted"), on_entry(SEES_SUBMITTED, {"office"}), "post"),
    row("ledger:objection_raise", pk("confirmed"), POST_ONLY),
    row(
        "ledger:objection_raise",
        pk("confirmed"),
        on_entry(SEES_CONFIRMED, {"head_js"}),
        "post",
    ),
    # an objection is shown on its entry's page: a redirect there
    row("ledger:objection_detail", pk("objection"), on_entry(SEES_CONFIRMED, SEES_CONFIRMED, 302)),
    row("ledger:objection_resolve", pk("objection"), POST_ONLY),
    row(
        "ledger:objection_resolve",
        pk("objection"),
        on_entry(SEES_CONFIRMED, {"office"}),
        "post",
    ),
    row("ledger:evidence", pk("evidence"), on_entry(SEES_CONFIRMED, SEES_CONFIRMED)),
    # --- evaluation rounds: the assessment office's alone --------------------------------------
    row("ballots:rounds", live, OFFICE_ONLY),
    row("ballots:open", live, OFFICE_ONLY),
    row("ballots:open", live, OFFICE_ONLY, "post"),
    row("ballots:round", pk("round"), OFFICE_ONLY),
    row("ballots:issue", pk("round"), POST_ONLY),
    # the codes are issued already: the office is sent back to the round
    row("ballots:issue", pk("round"), only({"office"}, 302), "post"),
    row("ballots:slips", pk("round"), OFFICE_ONLY),
    row("ballots:revoke", pk("round"), POST_ONLY),
    row("ballots:revoke", pk("round"), only({"office"}, 302), "post", lambda r: {"numbers": "1"}),
    row("ballots:turnout", pk("round"), OFFICE_ONLY),
    row("ballots:close", pk("round"), POST_ONLY),
    row("ballots:close", pk("round"), only({"office"}, 302), "post"),
    row("ballots:export", pk("closed_round"), POST_ONLY),
    row("ballots:export", pk("closed_round"), only({"office"}), "post"),
    row("ballots:form_specimen", pk("round"), OFFICE_ONLY),
    row("ballots:paper_entry", pk("round"), OFFICE_ONLY),
    # an entry without its code: the office is told what is missing, nothing is written
    row("ballots:paper_entry", pk("round"), only({"office"}, 400), "post", lambda r: {"code": ""}),
    row("ballots:paper_disputes", pk("round"), OFFICE_ONLY),
    # a form two other members of the office entered differently: the office decides it
    row("ballots:paper_decide", dispute, OFFICE_ONLY),
    row("ballots:paper_decide", dispute, only({"office"}, 400), "post", lambda r: {"code": ""}),
    row("ballots:paper_scans", pk("round"), OFFICE_ONLY),
    # an upload without a file: the office is told to choose one, nothing is written
    row("ballots:paper_scans", pk("round"), only({"office"}, 400), "post"),
    row("ballots:paper_scan", kept_scan, OFFICE_ONLY),
    row("ballots:paper_scan", kept_scan, only({"office"}, 400), "post", lambda r: {"k:JS": "9"}),
    row("ballots:paper_scan_image", kept_scan, OFFICE_ONLY),
    # --- the voter's page: a ballot code, not a login ------------------------------------------
    row("vote:start", none, everyone()),
    row("vote:start", none, everyone(), "post", data=ballot),
    row("vote:thanks", none, everyone()),
    # --- results before publication (2016): readers of everything; the party group confirms ---
    row("results:proposal", live, only(READERS)),
    # a department's self-assessment form as a file: as the form's page
    row(
        "results:self_assessment_export",
        js_xlsx,
        only(READERS | JS_MEMBERS, hidden={*CLERKS, "head_xx"}),
    ),
    # every form beside the assessed scores, all forms at once: the assessment office
    row("results:self_assessments", live, OFFICE_ONLY),
    row("results:self_assessments_export", live_xlsx, OFFICE_ONLY),
    row("results:proposal_bundle", live, only(READERS)),
    row("results:proposal_trail", lambda r: [2016, "JS"], only(READERS)),
    row("results:adjustments", live, only(READERS)),
    row("results:adjustments", live, only({"office"}), "post"),
    row("results:adjustment_remove", in_live("adjustment"), POST_ONLY),
    row("results:adjustment_remove", in_live("adjustment"), only({"office"}, 302), "post"),
    row("results:vetoes", live, only(READERS)),
    row("results:vetoes", live, only({"office"}), "post"),
    row("results:veto_remove", in_live("veto"), POST_ONLY),
    row("results:veto_remove", in_live("veto"), only({"office"}, 302), "post"),
    row("results:attachment", pk("attachment"), only(READERS, hidden=LOGGED_IN - READERS)),
    row("results:confirm", live, only({"party"})),
    row("results:confirm", live, only({"party"}), "post"),
    row("results:confirm_preview", live, POST_ONLY),
    row("results:confirm_preview", live, only({"party"}), "post"),
    # --- results after publication (2015, version 1) -------------------------------------------
    row("results:published", done, only(STAFF)),
    row("results:across", none, only(STAFF)),
    row("results:objections", done, only({"office", "party"})),
    # during the publicity period anyone with a role objects
    row("results:objections", done, only(STAFF, 302), "post", data=objection),
    # the assessment office answers each; the party group reads them; to others they do not exist
    row("results:objection_answer", lambda r: [2015, r.pks["publicity_objection"]], POST_ONLY),
    row(
        "results:objection_answer",
        lambda r: [2015, r.pks["publicity_objection"]],
        only({"office"}, 302, hidden=STAFF - {"office", "party"}),
        "post",
        data=answer,
    ),
    row("results:versions", done, only(STAFF)),
    row("results:version", version, only(STAFF)),
    row(
        "results:version_trail",
        lambda r: [2015, 1, "JS"],
        only(READERS | JS_MEMBERS, hidden=STAFF - READERS - JS_MEMBERS),
    ),
    row("results:version_bundle", version, only(READERS)),
    row("results:diff", lambda r: [2015, 1, 1], only(STAFF)),
    row("results:chart", lambda r: [2015, 1, "ranking"], only(STAFF)),
    row("results:export_xlsx", version, only(READERS)),
    row("results:export_notice_docx", version, only(STAFF)),
    row("results:export_notice_pdf", version, only(STAFF)),
    row("results:export_sheets", version, only(READERS, hidden=STAFF - READERS)),
    row(
        "results:export_sheet",
        lambda r: [2015, 1, "JS"],
        only(READERS | JS_MEMBERS, hidden=STAFF - READERS - JS_MEMBERS),
    ),
    # --- the half-year supervision circulars (issue 11.3): 2016 H1 published, H2 a draft ----
    # the published ones for everyone with a role; drafts, previews and publishing: the office
    row("results:circulars", live, only(STAFF)),
    row("results:circulars", done, only({"office"}, 302), "post", circular_new),
    row("results:circular", lambda r: [2016, "H1"], only(STAFF)),
    row("results:circular_file", lambda r: [2016, "H1", "pdf"], only(STAFF)),
    row("results:circular_edit", draft_half, OFFICE_ONLY),
    row("results:circular_edit", draft_half, only({"office"}, 302), "post", circular_words),
    row("results:circular_preview", draft_half, OFFICE_ONLY),
    row("results:circular_preview_pdf", draft_half, OFFICE_ONLY),
    row("results:circular_publish", draft_half, POST_ONLY),
    row("results:circular_publish", draft_half, only({"office"}, 302), "post"),
    # --- annual targets and their reports (issue 11) -------------------------------------------
    row("targets:list", live, only(TARGET_PAGE)),
    row("targets:new", live, only(MEMBERS)),
    row("targets:new", live, {**only(JS_MEMBERS, 302), "head_xx": 200}, "post", new_target),
    row("targets:compile", live, POST_ONLY),
    # nothing passed its first review: the office is told so on the list
    row("targets:compile", live, only({"office"}, 302), "post"),
    row("targets:approve", live, POST_ONLY),
    row("targets:approve", live, only({"office"}, 302), "post", approval),
    row("targets:xlsx", live, OFFICE_ONLY),
    row("targets:supervision", live, OFFICE_ONLY),
    row("targets:supervision", live, only({"office"}, 302), "post", lambda r: {"monthly": ""}),
    row("targets:proposals", live, only(PROPOSERS)),
    row("targets:proposals_make", live, POST_ONLY),
    row("targets:proposals_make", live, only(PROPOSERS, 302), "post"),
    row("targets:proposal_handle", pk("proposal"), POST_ONLY),
    # the proposal is a draft of 综合处: nobody else learns it exists (a discard needs a reason)
    row(
        "targets:proposal_handle",
        pk("proposal"),
        only({"clerk_zh"}, 302, hidden=LOGGED_IN - {"clerk_zh"}),
        "post",
    ),
    row("targets:detail", pk("target"), on_target(SEES_TARGET)),
    # approved: the department revises it; the office and the leader see it
    row("targets:edit", pk("target"), on_target(JS_MEMBERS)),
    row("targets:edit", pk("target"), on_target(JS_MEMBERS), "post"),
    row("targets:submit", pk("target"), POST_ONLY),
    row("targets:submit", pk("target"), on_target(set()), "post"),
    row("targets:review", pk("target"), POST_ONLY),
    row("targets:review", pk("target"), on_target(set()), "post"),
    row("targets:report", pk("target"), POST_ONLY),
    # an empty report: the department is told what is missing on the target's page
    row("targets:report", pk("target"), on_target(JS_MEMBERS, 302), "post"),
    row("targets:evidence", pk("report_evidence"), on_target(SEES_TARGET)),
]

# Namespaces not in the matrix, and why.
ELSEWHERE = {
    "admin": "Django's admin: superusers only (test_the_admin_is_for_superusers_alone_...)",
}
HERE = Path(__file__).name


def url_names() -> dict[str, str]:
    """Every named URL outside ELSEWHERE, with its route (for the failure messages)."""
    return all_url_names(skip=set(ELSEWHERE))


def test_every_url_name_has_a_row() -> None:
    names = url_names()
    missing = sorted(set(names) - {r.name for r in ROWS})
    lines = [f"  {n} (/{names[n].lstrip('/')}): add row({n!r}, args, expected)" for n in missing]
    assert not missing, f"URL names without a row in {HERE}:\n" + "\n".join(lines)


def stale_message(r: Row, names: dict[str, str]) -> str:
    """Which row to fix, and the name it moved to if the same page name lives elsewhere."""
    bare = r.name.rpartition(":")[2]
    moved = sorted(n for n in names if n.rpartition(":")[2] == bare)
    hint = f"; rename it to {' or '.join(moved)}" if moved else "; remove the row"
    return f"  {HERE}:{r.line}: row {r.key!r} names a URL that no longer exists{hint}"


def test_every_row_names_a_url() -> None:
    names = url_names()
    stale = [stale_message(r, names) for r in ROWS if r.name not in names]
    assert not stale, "stale rows in the access matrix:\n" + "\n".join(stale)


def test_a_stale_row_is_named_with_its_line_and_where_its_page_went() -> None:
    moved = {"org:org_list": "/org/"}
    old = row("years:org_list", none, OFFICE_ONLY)
    assert stale_message(old, moved) == (
        f"  {HERE}:{old.line}: row 'years:org_list GET' names a URL that no longer exists; "
        "rename it to org:org_list"
    )
    assert stale_message(old, {}).endswith("; remove the row")


def test_every_row_is_written_once_and_covers_every_role() -> None:
    keys = [r.key for r in ROWS]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    assert not twice, f"rows written twice: {twice}"
    for r in ROWS:
        assert set(r.expected) == set(ROLES), f"{HERE}:{r.line}: {r.key} lacks roles"


# --- the records the pages are opened on ------------------------------------------------------


@dataclass
class Records:
    """The personas, and the primary keys of the records the rows open."""

    world: World
    pks: dict[str, Any]
    round: Round  # open, its codes issued
    code: str  # one of its codes, unused
    vote_code: str  # a printed slip's code of the open secret ballot, unused
    vote_post: dict[str, Any]  # what the director's own page posts to vote


def build_records(w: World) -> Records:
    """JS entries of 综合处 in every state, an objection, evidence, rounds, adjustments, vetoes,
    a file, a library scheme; and 2015, complete and published."""
    entries = {
        status: add_entry(w.year, w.js, "1.report_missed", status=status)
        for status in ("submitted", "draft", "confirmed")
    }
    Entry.objects.filter(pk__in=[e.pk for e in entries.values()]).update(created_by=w.clerk_zh)
    # Objections are raised on confirmed entries only (issue 10, point 8).
    objection = Objection.objects.create(
        entry=entries["confirmed"], raised_by=w.head_js, reason="异议"
    )
    evidence = Evidence(
        entry=entries["confirmed"],
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=w.clerk_zh,
    )
    evidence.file.save(evidence.id.hex, ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    SchemeDocument.objects.create(
        scheme_id="draft-2017", name="草案", document={"id": "draft-2017"}
    )
    adjustment = add_adjustment(w.year, w.bg, "1", "党组表扬")
    attachment = Attachment(
        adjustment=adjustment,
        original_name="纪要.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=w.office,
    )
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    veto = add_veto(w.year, w.xx)
    groups = [("中层正职", 2)]
    round = ballot_actions.round_open(
        by=w.office, year=w.year, kind="democratic", period="year", title="", groups=groups
    )
    code, disputed = (c.code for c in ballot_actions.codes_issue(by=w.office, round=round))
    dispute = paper_dispute(round, disputed)
    closed = ballot_actions.round_open(
        by=w.office, year=w.year, kind="democratic", period="H1", title="", groups=groups
    )
    ballot_actions.round_close(by=w.office, round=closed)
    earlier = make_year(2015, [w.js, w.xx, w.bg])
    hold_rounds(earlier)
    today = timezone.localdate()
    publicity = {"publicity_start": today, "publicity_end": today + timedelta(days=7)}
    published = publish(earlier, by=w.party, **publicity)
    publicity_objection = PublicityObjection.objects.create(
        publication=published, department=w.js, text="异议", raised_by=w.head_js
    )
    target, proposal, report_evidence = approved_target(w)
    circulars(w)
    vote, vote_code, member = secret_ballot(w)
    return Records(
        world=w,
        pks={
            "target": target.pk,
            "proposal": proposal.pk,
            "report_evidence": report_evidence.pk,
            **{status: e.pk for status, e in entries.items()},
            "objection": objection.pk,
            "publicity_objection": publicity_objection.pk,
            "evidence": evidence.pk,
            "scheme_id": "draft-2017",
            "adjustment": adjustment.pk,
            "veto": veto.pk,
            "attachment": attachment.pk,
            "round": round.pk,
            "closed_round": closed.pk,
            "dispute": dispute.pk,
            "scan": PaperScan.objects.create(round=round, image=b"\x89PNG", reading={}).pk,
            "account": UserFactory().pk,
            "role": RoleFactory(kind="leader").pk,
            "range_vote": vote.pk,
            "office_member": member.pk,
        },
        round=round,
        code=code,
        vote_code=vote_code,
        vote_post={"vote": vote.pk},
    )


def paper_dispute(round: Round, code: str) -> PaperEntry:
    """A paper form entered differently by two members of the office other than `office`."""
    first, second = (RoleFactory(kind="assessment_office").user for _ in range(2))
    grade = {"JS": "good"}
    ballot_actions.paper_entry_record(by=first, round=round, code=code, grades=grade)
    ballot_actions.paper_entry_record(by=second, round=round, code=code, grades={})
    return PaperEntry.objects.get(round=round)


def circulars(w: World) -> None:
    """2016's first half-year circular published, its second a draft."""
    first = result_actions.circular_draft(
        by=w.office,
        year=w.year,
        half="H1",
        number="常经信考〔2016〕3号",
        date=datetime.date(2016, 7, 20),
    )
    result_actions.circular_publish(by=w.office, draft=first)
    result_actions.circular_draft(
        by=w.office,
        year=w.year,
        half="H2",
        number="常经信考〔2017〕1号",
        date=datetime.date(2017, 1, 15),
    )


def secret_ballot(w: World) -> tuple[RangeVote, str, OfficeMember]:
    """The office's members (the leader directing, with their account), an open vote on a range
    entry, one of its printed codes; the entry is then voided, so that it weighs on no other row."""
    ledger_actions.office_member_add(
        by=w.office, year=w.year, name="李主任", post="分管领导", user=w.leader, directs=True
    )
    member = ledger_actions.office_member_add(by=w.office, year=w.year, name="甲", post="处长")
    ledger_actions.office_member_add(by=w.office, year=w.year, name="乙", post="主任")
    entry = add_entry(w.year, w.js, "1.target_unmet", status="submitted")
    vote, printed = ledger_actions.range_vote_open(
        by=w.leader, year=w.year, entries=[entry], step=Decimal("0.5"), meeting="会议"
    )
    Entry.objects.filter(pk=entry.pk).update(status="voided")
    return vote, printed[0].code, member


def approved_target(w: World) -> tuple[Target, Proposal, ReportEvidence]:
    """A JS target approved by the leading group (JS supervised by the leader), its half-year
    report with a file, and a report it missed proposed as a draft of 综合处."""
    Department.objects.filter(pk=w.js.pk).update(supervising_leader=w.leader)
    w.js.refresh_from_db()
    fields = target_actions.TargetFields(
        "目标", "标志", datetime.date(2016, 12, 31), "duties", False, "张三"
    )
    target = target_actions.target_draft(
        by=w.head_js, year=w.year, department=w.js, fields=fields, submit=True
    )
    target_actions.target_review(by=w.leader, target=target, approve=True, comment="")
    target_actions.targets_compile(by=w.office, year=w.year)
    target_actions.targets_approve(
        by=w.office,
        year=w.year,
        meeting="会议",
        meeting_date=datetime.date(2016, 1, 28),
        document_no="常经信考〔2016〕1号",
    )
    proposal = target_actions.proposals_make(by=None, year=w.year, asof=datetime.date(2016, 7, 20))
    report = target_actions.report_submit(
        by=w.head_js, target=target, period="year", status="done", done="完成"
    )
    kept = ReportEvidence(
        report=report,
        original_name="a.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=w.head_js,
    )
    kept.file.save(kept.id.hex, ContentFile(b"%PDF-1.4\n"), save=False)
    kept.save()
    return target, proposal[0], kept


@pytest.fixture(scope="module")
def records(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Records]:
    """The records, once for the module, rolled back at its end."""
    with module_data(django_db_blocker, MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield build_records(build_world())


def status_of(response: Any) -> int | str:
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith(reverse("login")):
        return LOGIN
    return int(response.status_code)


def request_as(r: Records, user: Any, page: Row) -> int | str:
    """The status of one request, in a savepoint rolled back afterwards."""
    client = Client()
    if user is not None:
        client.force_login(user)
    url = reverse(page.name, args=page.args(r))
    with transaction.atomic():
        data = page.data(r) if page.data else {}
        response = getattr(client, page.method)(url, data)
        if response.streaming:  # the test client closes a streamed file once it is read
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return status_of(response)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ROWS, ids=[r.key for r in ROWS])
def test_access(records: Records, page: Row) -> None:
    names = url_names()
    if page.name not in names:
        pytest.fail(stale_message(page, names))
    got = {
        role: request_as(
            records, None if role == "anonymous" else getattr(records.world, role), page
        )
        for role in ROLES
    }
    wrong = [
        f"  {role}: expected {page.expected[role]}, got {got[role]}"
        for role in ROLES
        if got[role] != page.expected[role]
    ]
    assert not wrong, f"{HERE}:{page.line}: {page.key}\n" + "\n".join(wrong)


# --- beyond the matrix ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["years:detail", "years:overview", "years:departments"])
def test_a_year_that_does_not_exist_is_not_found(records: Records, name: str) -> None:
    client = Client()
    client.force_login(records.world.office)
    assert client.get(reverse(name, args=[1999])).status_code == 404


@pytest.mark.django_db
def test_unknown_schemes_and_departments_are_not_found_for_the_office_only(
    records: Records,
) -> None:
    world = records.world
    office, clerk = Client(), Client()
    office.force_login(world.office)
    clerk.force_login(world.clerk_zh)
    for name, args in (("years:scheme_edit", ["nope"]), ("years:org_edit", ["NOPE"])):
        assert office.get(reverse(name, args=args)).status_code == 404
        assert clerk.get(reverse(name, args=args)).status_code == 403


@pytest.mark.django_db
def test_the_admin_is_for_superusers_alone_and_history_is_read_only(records: Records) -> None:
    world = records.world
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
