"""Check-then-act races on PostgreSQL, with real threads: the database has the last word.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaohe_ops .venv/bin/pytest tests/web/test_races.py

Each test releases the same write on many threads at once; exactly what the rules allow is stored,
and every refused request gets its Chinese message (never a 500 or an IntegrityError).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.test import Client

from kaohe.assessment import actions as years
from kaohe.ledger import actions as ledger
from kaohe.ledger.models import Batch, Entry, Objection
from kaohe.org import actions as org
from kaohe.org.models import Department, Person
from kaohe.results import actions as results
from kaohe.results.models import Adjustment, Veto
from kaohe.years import actions as year_actions
from kaohe.years.models import SchemeDocument, SelfAssessment, Year
from tests.web.conftest import World
from tests.web.test_ledger_batch import GOOD_ROWS, token, upload
from tests.web.test_ledger_views import record
from tests.web.threads import RACES, in_threads

pytestmark = RACES
TIMES = 10


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def outcome(act: Callable[[], Any]) -> Callable[[], str]:
    """The job's result as a word: ok, or the messages of the ValidationError it raised."""

    def job() -> str:
        try:
            act()
        except ValidationError as error:
            return " ".join(error.messages)
        return "ok"

    return job


def post(client: Client, url: str, data: dict[str, Any]) -> Callable[[], tuple[int, str]]:
    def job() -> tuple[int, str]:
        response = client.post(url, data)
        return response.status_code, response.get("Location") or response.content.decode()

    return job


def test_one_batch_token_posted_ten_times_at_once_saves_its_rows_once(world: World) -> None:
    c = logged_in(world.clerk_zh)
    confirm = {"token": token(upload(c, GOOD_ROWS)), "action": "draft"}
    clients = [logged_in(world.clerk_zh) for _ in range(TIMES)]
    answers = in_threads([post(client, "/ledger/2016/batch/", confirm) for client in clients])
    assert Entry.objects.count() == len(GOOD_ROWS)
    assert Batch.objects.count() == 1
    places = [location.split("?")[0] for _status, location in answers]
    assert Counter(places) == {"/ledger/2016/entries/": 1, "/ledger/2016/batch/": TIMES - 1}
    refused = clients[places.index("/ledger/2016/batch/")].get("/ledger/2016/batch/")
    assert "这批记录已经保存过了。" in refused.content.decode()


def test_ten_records_of_a_once_a_year_rule_at_once_store_one(world: World) -> None:
    data = {
        "office": "ZH",
        "department": "JS",
        "rule": "2.topic_unmet",
        "period": "year",
        "count": "1",
        "action": "submit",
    }
    clients = [logged_in(world.clerk_zh) for _ in range(TIMES)]
    answers = in_threads([post(client, "/ledger/2016/entries/new/", data) for client in clients])
    assert Counter(status for status, _body in answers) == {302: 1, 200: TIMES - 1}
    assert all("该处室本年度已有此项记录" in body for status, body in answers if status == 200)
    assert Entry.objects.filter(rule_id="2.topic_unmet").count() == 1


def test_ten_shortfall_entries_for_one_half_year_at_once_store_one(world: World) -> None:
    def shortfall() -> Entry:
        return record(world, "3.info_shortfall", submit=False, department=world.bg, actual=1)

    answers = Counter(in_threads([outcome(shortfall) for _ in range(TIMES)]))
    assert answers == {"ok": 1, "该处室本半年已有此项少报记录。": TIMES - 1}
    assert Entry.objects.count() == 1


def test_entries_recorded_at_once_get_consecutive_reference_numbers(world: World) -> None:
    assert set(in_threads([outcome(lambda: record(world)) for _ in range(TIMES)])) == {"ok"}
    refs = sorted(Entry.objects.values_list("ref", flat=True))
    assert refs == [f"2016-{n:05d}" for n in range(1, TIMES + 1)]


def test_adjustments_and_vetoes_recorded_at_once_get_consecutive_numbers(world: World) -> None:
    def adjust() -> Any:
        return results.adjustment_record(
            by=world.office,
            year=world.year,
            department=world.js,
            amount=Decimal("1"),
            reason="党组决定",
            meeting="党组会",
        )

    def veto() -> Any:
        return results.veto_record(
            by=world.office, year=world.year, department=world.xx, reason="criticised", facts="通报"
        )

    jobs = [outcome(adjust) for _ in range(TIMES)] + [outcome(veto) for _ in range(TIMES)]
    assert set(in_threads(jobs)) == {"ok"}
    adjustments = sorted(Adjustment.objects.values_list("ref", flat=True))
    vetoes = sorted(Veto.objects.values_list("ref", flat=True))
    assert sorted(adjustments) == sorted(f"2016-adj-{n}" for n in range(1, TIMES + 1))
    assert sorted(vetoes) == sorted(f"2016-veto-{n}" for n in range(1, TIMES + 1))


def test_one_objection_at_a_time_per_entry(world: World) -> None:
    # objections are raised on confirmed entries (issue 10, point 8)
    entry = ledger.entry_confirm(by=world.office, entry=record(world))
    data = {"object-reason": "已按时报送"}
    clients = [logged_in(world.head_js) for _ in range(TIMES)]
    url = f"/ledger/entries/{entry.pk}/object/"
    answers = in_threads([post(client, url, data) for client in clients])
    assert Objection.objects.count() == 1
    assert Counter(status for status, _body in answers) == {302: 1, 200: TIMES - 1}
    assert all("已有一项待处理的异议" in body for status, body in answers if status == 200)


def test_the_first_self_assessments_of_head_and_liaison_at_once_keep_one_form(world: World) -> None:
    def submit(user: Any, score: str) -> Callable[[], Any]:
        def act() -> Any:
            raw = {"1": (score, "")}
            return year_actions.self_assessment_submit(
                by=user,
                year=world.year,
                department=world.js,
                raw=raw,
                filled_on=date(2017, 1, 8),
                head_name="张处长",
            )

        return act

    jobs = [
        outcome(submit(world.head_js if i % 2 else world.liaison_js, f"1{i}")) for i in range(6)
    ]
    assert set(in_threads(jobs)) == {"ok"}
    assert SelfAssessment.objects.count() == 1
    assert sorted(SelfAssessment.objects.get().revisions.values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_creating_one_year_twice_at_once_creates_it_once(world: World) -> None:
    def create() -> Any:
        return years.year_create(by=world.office, year=2017, source="year:2016")

    answers = Counter(in_threads([outcome(create) for _ in range(TIMES)]))
    assert answers == {"ok": 1, "2017 年度已存在。": TIMES - 1}
    assert Year.objects.filter(year=2017).count() == 1


def test_copying_a_scheme_to_one_id_twice_at_once_copies_it_once(world: World) -> None:
    def copy() -> Any:
        return year_actions.scheme_copy(
            by=world.office, source="builtin:cz-jxw-2016", new_id="cz-2017", name="2017"
        )

    answers = Counter(in_threads([outcome(copy) for _ in range(TIMES)]))
    assert answers == {"ok": 1, "已有相同编号的考核方案。": TIMES - 1}
    assert SchemeDocument.objects.filter(scheme_id="cz-2017").count() == 1


def test_adding_one_department_or_person_twice_at_once_adds_it_once(world: World) -> None:
    def department() -> Any:
        return org.department_create(by=world.office, code="NEW", name="新处", type="service")

    def person() -> Any:
        return org.person_add(by=world.office, department=world.js, name="王五")

    jobs = [outcome(department) for _ in range(TIMES)] + [outcome(person) for _ in range(TIMES)]
    answers = Counter(in_threads(jobs))
    assert answers == {
        "ok": 2,
        "已有相同代码的处室。": TIMES - 1,
        "该处室已有同名人员。": TIMES - 1,
    }
    assert Department.objects.filter(code="NEW").count() == 1
    assert Person.objects.filter(name="王五").count() == 1


def test_choosing_the_years_departments_twice_at_once_keeps_one_row_each(world: World) -> None:
    new = Department.objects.create(code="NEW", name="新处", type="general")
    departments = [world.js, world.xx, world.bg, new]

    def choose() -> Any:
        rows = [years.AssessedRow(d, True, d.type, None) for d in departments]
        return years.year_departments_set(by=world.office, year=world.year, rows=rows)

    assert set(in_threads([outcome(choose) for _ in range(TIMES)])) == {"ok"}
    assert world.year.assessed.filter(department=new).count() == 1


def test_ten_confirmations_of_one_entry_at_once_confirm_it_once(world: World) -> None:
    # The predicate the button uses is checked again on the locked row: the office clerks who
    # come second are told the entry's state, not refused as if they could not review.
    entry = record(world)  # submitted

    def confirm() -> Any:
        return ledger.entry_confirm(by=world.office, entry=Entry.objects.get(pk=entry.pk))

    answers = Counter(in_threads([outcome(confirm) for _ in range(TIMES)]))
    assert answers == {"ok": 1, "该记录当前状态为“已确认”,不能进行此项操作。": TIMES - 1}
