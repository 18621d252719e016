"""The year's computed result is stored per inputs version and never stale (issue 15).

Every public action is listed here, either as one that changes an input of a year's live
computation (then a case below runs it after the result was stored, and the next read must
reflect it: the version moved, the stored result is what a fresh computation gives, and where
the action changes a figure, the figures changed) or as one that does not, with why. A new
action fails `test_every_action_is_classified` until it is put in one of the two lists.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import pickle
import pkgutil
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.test import Client

import kaohe
from kaohe.assessment import actions as assessment_actions
from kaohe.assessment.actions import AssessedRow
from kaohe.ballots import actions as ballot_actions
from kaohe.ballots.actions import ImportedBallot
from kaohe.core.inputs import EVERY_YEAR
from kaohe.core.models import InputsVersion
from kaohe.engine import settle
from kaohe.engine.results import results_document
from kaohe.ledger import actions as ledger_actions
from kaohe.ledger.actions import BatchRow, ImportedEntry
from kaohe.results import stored
from kaohe.results.actions import imports as result_imports
from kaohe.results.actions import measures
from kaohe.results.models import StoredResult
from kaohe.results.selectors import live_year, proposal_bundle
from kaohe.years.models import Year
from tests.web.ballots_support import issue, open_round, post_ballot
from tests.web.conftest import World
from tests.web.factories import make_year
from tests.web.results_support import hold_rounds, publish

pytestmark = pytest.mark.django_db

# Actions that change an input of a year's live computation: each has a case below.
TOUCHES = {
    "entry_record",
    "entry_update",
    "entry_submit",
    "entry_confirm",
    "entry_return",
    "entry_decide",
    "entry_void",
    "entry_propose",
    "entry_discard",
    "proposals_make",
    "proposal_handle",
    "entries_batch_record",
    "entries_import",
    "objection_resolve",
    "round_close",
    "rounds_import",
    "adjustment_record",
    "adjustment_remove",
    "veto_record",
    "veto_remove",
    "results_import",
    "publication_confirm",
    "year_departments_set",
    "department_update",
    "department_type_correct",
    "entries_review",
    "range_vote_close",
}

# Actions that change no input of an existing year's computation, and why.
UNCHANGED = {
    "audit_record": "the audit trail only",
    "role_grant": "who may do what",
    "role_revoke": "who may do what",
    "department_create": "a new department is in no year until a year's departments are set",
    "departments_import": "only adds departments (then chosen by year_import, which touches)",
    "person_add": "a new person is named in no entry yet",
    "person_set_active": "entries keep their persons; the name is unchanged",
    "persons_import": "only adds people",
    "schemes_builtin_store": "the scheme library: a year holds its own frozen copy",
    "scheme_copy": "the scheme library: a year holds its own frozen copy",
    "scheme_update": "the scheme library: a year holds its own frozen copy",
    "self_assessment_submit": "the self-assessment form is not an engine input",
    "year_create": "a new year: nothing is stored for it yet (it touches its own version anyway)",
    "year_import_create": "a new year, within year_import",
    "year_import": "a new year (its own imports touch it; its result is not stored yet)",
    "codes_issue": "codes of an open round: only closed rounds count",
    "code_revoke": "codes of an open round: only closed rounds count",
    "round_open": "an open round does not count",
    "ballot_submit": "a ballot of an open round: only closed rounds count",
    "paper_entry_record": "a paper form of an open round (its ballot too): only closed rounds count",
    "paper_entry_decide": "a paper form of an open round (its ballot too): only closed rounds count",
    "scans_record": "scanned forms of an open round (their ballots too): only closed rounds count",
    "scan_decide": "a scanned form of an open round (its ballot too): only closed rounds count",
    "scan_discard": "a scanned page set aside: no ballot",
    "rounds_vacuum": "storage housekeeping",
    "ballots_export_record": "an audit row for an export",
    "evidence_attach": "files are not engine input",
    "objection_raise": "a pending objection changes nothing until it is decided",
    "seal_breach_record": "an audit row for a broken seal",
    "circular_draft": "a circular's words; the engine reads none of it",
    "circular_update": "a circular's words; the engine reads none of it",
    "circular_publish": "stores what the engine computed, as printed; changes no input",
    "chart_store": "a published version's picture",
    "publicity_objection_raise": "an objection to a published version, not an input",
    "publicity_objection_answer": "an answer; an upheld one names a correction version",
    "audit_export_record": "an audit row for an export",
    "password_change": "accounts",
    "user_create": "accounts",
    "user_disable": "accounts",
    "user_enable": "accounts",
    "user_password_reset": "accounts",
    "backup_create": "reads only (and writes its audit row)",
    "backup_restore": "replaces the whole database, each stored result with the inputs it was "
    "computed from (the servers are stopped during a restore: docs/backup.md)",
    "login_event_record": "a login record",
    "session_expiry_record": "a login record",
    "lockout_clear": "logins",
    "login_records_export": "an audit row for an export",
    "second_factor_enrol": "logins",
    "second_factor_confirm": "logins",
    "second_factor_verify": "logins",
    "recovery_code_use": "logins",
    "second_factor_reset": "logins",
    "superuser_create": "accounts",
    "security_policy_update": "the security settings: who logs in and how, no engine input",
    # annual targets and their reports are no engine input: only the entries proposed from them
    "target_draft": "annual targets",
    "target_update": "annual targets",
    "target_submit": "annual targets",
    "target_review": "annual targets",
    "targets_compile": "annual targets",
    "targets_approve": "annual targets",
    "target_revise": "annual targets",
    "report_submit": "a report on a target",
    "supervision_periods_set": "the supervision system's periods",
    "supervision_reports_record": "online reports of the supervision system",
    # deadlines say when entries are proposed (proposals_make touches), not what they count
    "deadlines_set": "the year's deadlines: no engine input",
    "reminder_send": "a reminder in the bell (and by e-mail)",
    "reminders_send": "reminders in the bell (and by e-mail)",
    "notifications_read": "one's own notifications",
    # the office's secret ballot on range amounts: only its closing decides entries (TOUCHES)
    "office_member_add": "who sits in the assessment office",
    "office_member_remove": "who sits in the assessment office",
    "range_vote_open": "an open vote decides nothing; its entries stay submitted",
    "range_vote_cast": "a vote of an open ballot: only the closing decides",
    "range_votes_vacuum": "storage housekeeping",
}


def _actions() -> set[str]:
    """Every public function of kaohe with only keyword arguments, one of them `by`: the
    actions, wherever they are defined."""
    found: set[str] = set()
    names = [m.name for m in pkgutil.walk_packages(kaohe.__path__, "kaohe.")]
    skipped = (".migrations", ".management", "kaohe.wsgi", "kaohe.settings", "kaohe.urls")
    wanted = [n for n in names if not any(s in n for s in skipped)]
    for name in wanted:
        module = importlib.import_module(name)
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != name or fn_name.startswith("_"):
                continue
            params = inspect.signature(fn).parameters.values()
            keyword_only = params and all(p.kind is p.KEYWORD_ONLY for p in params)
            if keyword_only and any(p.name == "by" for p in params):
                found.add(fn_name)
    return found


def test_every_action_is_classified() -> None:
    actions = _actions()
    assert actions, "no actions found"
    unlisted = actions - TOUCHES - set(UNCHANGED)
    assert not unlisted, f"classify in TOUCHES (with a case) or UNCHANGED: {sorted(unlisted)}"
    assert not (TOUCHES & set(UNCHANGED))
    assert set(CASES) == TOUCHES


# --- the cases: each sets up, then returns the action to run after the result is stored ----


def _record(w: World, rule: str = "1.report_missed", **kw: Any) -> Any:
    fields = {"period": "H1", "count": 1} | kw
    return ledger_actions.entry_record(
        by=w.clerk_zh, year=w.year, department=w.js, rule_id=rule, office="ZH", **fields
    )


def _confirmed(w: World) -> Any:
    entry = _record(w, submit=True)
    return ledger_actions.entry_confirm(by=w.office, entry=entry)


Case = Callable[[World], Callable[[], object]]


def entry_record(w: World) -> Callable[[], object]:
    return lambda: _record(w)


def entry_update(w: World) -> Callable[[], object]:
    entry = _record(w)
    return lambda: ledger_actions.entry_update(by=w.clerk_zh, entry=entry, period="H1", count=2)


def entry_submit(w: World) -> Callable[[], object]:
    entry = _record(w)
    return lambda: ledger_actions.entry_submit(by=w.clerk_zh, entry=entry)


def entry_confirm(w: World) -> Callable[[], object]:
    entry = _record(w, submit=True)
    return lambda: ledger_actions.entry_confirm(by=w.office, entry=entry)


def entry_return(w: World) -> Callable[[], object]:
    entry = _record(w, submit=True)
    return lambda: ledger_actions.entry_return(by=w.office, entry=entry, reason="补充材料")


def entry_decide(w: World) -> Callable[[], object]:
    entry = _record(w, "1.target_unmet", period="year", submit=True)
    return lambda: ledger_actions.entry_decide(
        by=w.office, entry=entry, amount=Decimal("2.5"), method="collective", meeting="第3次会议"
    )


def range_vote_close(w: World) -> Callable[[], object]:
    from tests.web.range_votes_support import cast, office, open_vote, pending

    office(w, heads=2)
    [entry] = pending(w)
    vote, codes = open_vote(w, [entry])
    for code in codes:
        cast(code, {entry: "4.5"})
    return lambda: ledger_actions.range_vote_close(by=w.leader, vote=vote)


def entry_void(w: World) -> Callable[[], object]:
    entry = _confirmed(w)
    return lambda: ledger_actions.entry_void(by=w.office, entry=entry, reason="重复录入")


def _proposed(w: World) -> Any:
    return ledger_actions.entry_propose(
        by=None,
        year=w.year,
        department=w.js,
        rule_id="1.report_missed",
        period="H1",
        description="少报",
    )


def entry_propose(w: World) -> Callable[[], object]:
    return lambda: _proposed(w)


def entry_discard(w: World) -> Callable[[], object]:
    entry = _proposed(w)
    return lambda: ledger_actions.entry_discard(by=w.clerk_zh, entry=entry, reason="已报送")


def _approved_target(w: World) -> None:
    from tests.web.test_targets_flow import approved_target

    approved_target(w)


def proposals_make(w: World) -> Callable[[], object]:
    from kaohe.targets import actions as target_actions

    _approved_target(w)
    asof = datetime.date(2016, 7, 20)
    return lambda: target_actions.proposals_make(by=None, year=w.year, asof=asof)


def proposal_handle(w: World) -> Callable[[], object]:
    from kaohe.targets import actions as target_actions

    _approved_target(w)
    made = target_actions.proposals_make(by=None, year=w.year, asof=datetime.date(2016, 7, 20))
    return lambda: target_actions.proposal_handle(by=w.clerk_zh, proposal=made[0], accept=True)


def entries_batch_record(w: World) -> Callable[[], object]:
    row = BatchRow(line=2, department="JS", rule_id="1.report_missed", period="H1", count=1)
    return lambda: ledger_actions.entries_batch_record(
        by=w.clerk_zh, year=w.year, office="ZH", rows=[row], batch_id=str(uuid.uuid4())
    )


def entries_import(w: World) -> Callable[[], object]:
    entry = ImportedEntry(
        "I-1",
        w.js,
        "1.report_missed",
        1,
        "business",
        "ZH",
        "H1",
        1,
        None,
        None,
        "",
        "",
        "",
        "",
        "",
        (),
    )
    return lambda: ledger_actions.entries_import(by=None, year=w.year, entries=[entry])


def objection_resolve(w: World) -> Callable[[], object]:
    objection = ledger_actions.objection_raise(by=w.head_js, entry=_confirmed(w), reason="已报送")
    return lambda: ledger_actions.objection_resolve(
        by=w.office, objection=objection, uphold=True, resolution="核实已报送"
    )


def round_close(w: World) -> Callable[[], object]:
    round = open_round(w, kind="leader", groups=[("委领导", 2)])
    for code in issue(w, round)["委领导"]:
        post_ballot(Client(), round, {"JS": "good", "BG": "excellent"}, code)
    return lambda: ballot_actions.round_close(by=w.office, round=round)


def rounds_import(w: World) -> Callable[[], object]:
    ballot = ImportedBallot("leader", "year", uuid.uuid4(), "委领导", {"JS": "fair"})
    return lambda: ballot_actions.rounds_import(by=None, year=w.year, ballots=[ballot])


def adjustment_record(w: World) -> Callable[[], object]:
    return lambda: measures.adjustment_record(
        by=w.office,
        year=w.year,
        department=w.js,
        amount=Decimal("2"),
        reason="党组研究",
        meeting="党组会",
    )


def adjustment_remove(w: World) -> Callable[[], object]:
    adjustment = adjustment_record(w)()
    return lambda: measures.adjustment_remove(by=w.office, adjustment=adjustment)


def veto_record(w: World) -> Callable[[], object]:
    reason = next(iter(w.year.scheme.veto_reasons))
    return lambda: measures.veto_record(
        by=w.office, year=w.year, department=w.js, reason=reason, facts="通报批评"
    )


def veto_remove(w: World) -> Callable[[], object]:
    veto = veto_record(w)()
    return lambda: measures.veto_remove(by=w.office, veto=veto)


def results_import(w: World) -> Callable[[], object]:
    adjustment = result_imports.ImportedAdjustment("A-1", w.xx, Decimal("-1"), "党组研究", "党组会")
    return lambda: result_imports.results_import(
        by=None, year=w.year, adjustments=[adjustment], vetoes=[], decisions=None
    )


def publication_confirm(w: World) -> Callable[[], object]:
    earlier = make_year(2015, [w.js, w.xx, w.bg])  # last year: its ranks feed 2016's
    hold_rounds(earlier, {"BG": "excellent", "JS": "poor"})
    return lambda: publish(earlier, by=w.party)


def year_departments_set(w: World) -> Callable[[], object]:
    rows = [AssessedRow(d, d != w.bg, d.type, None) for d in (w.js, w.xx, w.bg)]  # BG left out
    return lambda: assessment_actions.year_departments_set(by=w.office, year=w.year, rows=rows)


def department_update(w: World) -> Callable[[], object]:
    from kaohe.org import actions as org_actions

    admin = w.office
    return lambda: org_actions.department_update(by=admin, department=w.js, name="技术创新处")


def entries_review(w: World) -> Callable[[], object]:
    from kaohe.ledger.actions.review import entries_review as review

    entry = _record(w, submit=True)
    return lambda: review(by=w.office, entries=[entry], decision="confirm")


def department_type_correct(w: World) -> Callable[[], object]:
    from kaohe.assessment.type_correction import department_type_correct as correct

    row = w.year.assessed.get(department=w.js)
    return lambda: correct(
        by=w.office, year=w.year, department=row, new_type="general", reason="类型录入有误"
    )


CASES: dict[str, Case] = {name: globals()[name] for name in sorted(TOUCHES)}

# Actions after which a figure or a document of the year (names, ranks) visibly changes.
VISIBLE = TOUCHES - {
    "entry_record",
    "entry_update",
    "entry_submit",
    "entry_return",
    "entries_batch_record",
    "entry_propose",
    "entry_discard",
    "proposals_make",
    "proposal_handle",
}  # these leave drafts, submitted or returned entries: counted only once confirmed


def _shown(year: Year) -> tuple[Any, Any]:
    """What the pages read: the stored result's documents."""
    live = live_year(Year.objects.get(pk=year.pk))
    return live.computed.results_document, live.computed.bundle_document


def _fresh(year: Year) -> tuple[Any, Any]:
    """The year computed now, with nothing stored."""
    from kaohe.engine.bundle import bundle_to_document

    raw, _previous, _broken = proposal_bundle(Year.objects.get(pk=year.pk))
    settlement = settle(raw)
    bundle = bundle_to_document(type(raw)(**{**raw.__dict__, "decisions": settlement.applied}))
    return results_document(settlement.results), bundle


def _versions(year: Year) -> dict[int, int]:
    return dict(InputsVersion.objects.filter(key__in=(year.year, EVERY_YEAR)).values_list())


@pytest.mark.parametrize("name", sorted(TOUCHES))
def test_the_next_read_after_each_input_changing_action_reflects_it(
    world: World, name: str
) -> None:
    # given the year's result computed and stored after the case's setup
    act = CASES[name](world)
    before = _shown(world.year)
    assert StoredResult.objects.filter(year=world.year).exists()
    versions = _versions(world.year)
    # when the action runs
    act()
    # then the year's inputs version moved, and what is read is a fresh computation's result
    assert _versions(world.year) != versions, f"{name} did not touch the year's inputs"
    after = _shown(world.year)
    assert after == _fresh(world.year)
    if name in VISIBLE:
        assert after != before, f"{name}: the case changes nothing visible"


def test_a_second_page_load_computes_nothing(world: World, monkeypatch: Any) -> None:
    client = world.client(world.office)
    _confirmed(world)
    calls: list[int] = []
    import kaohe.results.selectors as selectors

    monkeypatch.setattr(selectors, "settle", lambda *a, **k: calls.append(1) or settle(*a, **k))
    assert client.get("/years/2016/overview/").status_code == 200
    assert calls == [1]  # the first load after a change computes once
    for url in ("/years/2016/overview/", "/years/2016/departments/JS/", "/results/2016/proposal/"):
        assert client.get(url).status_code == 200
    assert calls == [1]
    stored._memo.clear()  # another process: reads the stored row, not the year's inputs
    assert client.get("/years/2016/overview/").status_code == 200
    assert calls == [1]


def test_a_stored_row_is_never_replaced_by_an_older_version(world: World) -> None:
    _confirmed(world)  # the year's version is 1 or more
    _shown(world.year)
    row = StoredResult.objects.get(year=world.year)
    computed = stored._memo[world.year.pk][1]
    stored._store(world.year, (row.version - 1, row.shared_version), computed)
    assert StoredResult.objects.get(year=world.year).version == row.version


def test_the_stored_row_is_json_and_reads_back_as_the_computation(world: World) -> None:
    # given the year computed and stored by one process
    _confirmed(world)
    live = live_year(world.year)
    row = StoredResult.objects.get(year=world.year)
    # then the row is the engine's bundle document as JSON, not a pickle
    assert json.loads(bytes(row.data)) == live.computed.bundle_document
    assert isinstance(row.stale, list)
    # when another process reads it
    stored._memo.clear()
    again = live_year(Year.objects.get(pk=world.year.pk))
    # then it has the same bundle, settlement (trails included) and stale decisions
    assert again.computed is not live.computed
    assert again.bundle == live.bundle
    assert again.settlement == live.settlement
    assert [(p.code, dict(p.params)) for p in again.stale] == [
        (p.code, dict(p.params)) for p in live.stale
    ]


class _Planted:
    """A pickle that runs code when it is loaded."""

    ran: ClassVar[list[int]] = []

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Planted.ran.append, (1,))


def test_a_planted_pickle_is_never_loaded(world: World) -> None:
    # given a stored row whose data someone replaced with a pickle
    _confirmed(world)
    live = live_year(world.year)
    StoredResult.objects.filter(year=world.year).update(data=pickle.dumps(_Planted()))
    stored._memo.clear()
    # when another process reads the year
    again = live_year(Year.objects.get(pk=world.year.pk))
    # then nothing ran: the row did not read as a bundle, the year was computed again
    assert _Planted.ran == []
    assert again.computed.results_document == live.computed.results_document
    assert json.loads(bytes(StoredResult.objects.get(year=world.year).data))


def test_the_proposal_page_loads_each_trail_on_demand(world: World) -> None:
    _confirmed(world)
    client = world.client(world.office)
    page = client.get("/results/2016/proposal/").content.decode()
    # the page has every department's summary, and no trail tables: each is a fragment's
    assert page.count('class="trail"') == 3
    assert 'id="trail-JS"><summary>' in page and "<table" not in page.split('id="trail-JS"')[1]
    assert 'hx-get="/results/2016/proposal/trails/JS/"' in page
    fragment = client.get("/results/2016/proposal/trails/JS/").content.decode()
    assert 'id="trail-JS" open' in fragment and "<table" in fragment and "<html" not in fragment
    assert client.get("/results/2016/proposal/trails/NOPE/").status_code == 404
    assert world.client(world.outsider).get("/results/2016/proposal/trails/JS/").status_code in (
        403,
        404,
    )


def test_pages_are_compressed(world: World) -> None:
    response = world.client(world.office).get("/years/2016/overview/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
