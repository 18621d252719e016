"""人次 entries name each person and how many times; the count is their sum (issue 10, point 2)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kaohe.engine import InvalidInput, parse_bundle
from kaohe.ledger import actions
from kaohe.ledger.actions import BatchRow
from kaohe.ledger.models import Entry, EntryPerson, EntryStatus
from kaohe.org.models import Person
from tests.web.conftest import World
from tests.web.factories import DepartmentFactory, add_entry, make_year
from tests.web.test_ledger_batch import token, upload

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kaohe.ledger.migrations.0003_entry_persons_with_times")


def _staff(name: str) -> Person:
    return Person.objects.get(name=name)


def _times(entry: Entry) -> dict[str, int]:
    return {p.name: n for p, n in Entry.objects.get(pk=entry.pk).person_times()}


def _record(world: World, persons: list[Person], **kw: Any) -> Entry:
    return actions.entry_record(
        by=world.clerk_rs,
        year=world.year,
        department=world.js,
        rule_id="4.study_absence",
        office="RS",
        period="H1",
        persons=persons,
        **kw,
    )


def test_the_count_is_the_sum_of_the_persons_times(world: World) -> None:
    a, b = _staff("JS甲"), _staff("JS乙")
    entry = _record(world, [a, a, b], count=1)  # a count typed as well is not what counts
    assert entry.count == 3
    assert _times(entry) == {"JS甲": 2, "JS乙": 1}


def test_a_person_time_entry_without_persons_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(world, [], count=2)
    assert refused.value.message_dict["persons"] == ["请至少填写一位涉及人员及其次数。"]
    assert not Entry.objects.exists()


def test_other_rules_are_unchanged(world: World) -> None:
    entry = actions.entry_record(
        by=world.clerk_zh,
        year=world.year,
        department=world.js,
        rule_id="1.report_missed",
        office="ZH",
        period="H1",
        count=2,
    )
    assert (entry.count, _times(entry)) == (2, {})


def test_confirming_a_legacy_entry_naming_nobody_is_refused(world: World) -> None:
    entry = add_entry(world.year, world.js, "4.study_absence", status="submitted", count=2)
    with pytest.raises(ValidationError) as refused:
        actions.entry_confirm(by=world.office, entry=entry)
    message = refused.value.messages[0]
    assert "按人次计分" in message and "请至少填写一位涉及人员" in message and "退回" in message
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.SUBMITTED


def test_confirming_an_entry_whose_times_disagree_with_its_count_is_refused(world: World) -> None:
    entry = add_entry(world.year, world.js, "4.study_absence", status="submitted", count=1)
    for name in ("JS甲", "JS乙"):
        EntryPerson.objects.create(entry=entry, person=_staff(name), times=1)
    with pytest.raises(ValidationError, match="次数（1）与各人次数之和（2）不一致"):
        actions.entry_confirm(by=world.office, entry=entry)
    EntryPerson.objects.filter(entry=entry, person__name="JS乙").delete()
    actions.entry_confirm(by=world.office, entry=entry)
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.CONFIRMED


def test_the_form_takes_each_persons_times_and_sums_them(world: World) -> None:
    c = world.client(world.clerk_rs)
    a, b = _staff("JS甲"), _staff("JS乙")
    fields = c.get(
        "/ledger/2016/entries/fields/",
        {"office": "RS", "department": "JS", "rule": "4.study_absence"},
    ).content.decode()
    assert f'name="persons-{a.pk}"' in fields and 'inputmode="numeric"' in fields
    assert 'name="count"' not in fields  # worked out, not typed
    post = {
        "office": "RS",
        "department": "JS",
        "rule": "4.study_absence",
        "period": "H1",
        f"persons-{a.pk}": "2",
        f"persons-{b.pk}": "1",
        "action": "draft",
    }
    assert c.post("/ledger/2016/entries/new/", post).status_code == 302
    entry = Entry.objects.get()
    assert entry.count == 3 and _times(entry) == {"JS甲": 2, "JS乙": 1}
    page = c.get(f"/ledger/entries/{entry.pk}/").content.decode()
    assert "JS乙 ×1、JS甲 ×2" in page


def test_the_form_refuses_nobody_and_bad_times(world: World) -> None:
    c = world.client(world.clerk_rs)
    a = _staff("JS甲")
    post = {"office": "RS", "department": "JS", "rule": "4.study_absence", "period": "H1"}
    page = c.post("/ledger/2016/entries/new/", post).content.decode()
    assert "请至少填写一位涉及人员及其次数。" in page
    page = c.post("/ledger/2016/entries/new/", post | {f"persons-{a.pk}": "-1"}).content.decode()
    assert "每人的次数请填写 0 至 999 的整数。" in page
    assert not Entry.objects.exists()


def test_the_amount_preview_counts_the_persons_times(world: World) -> None:
    c = world.client(world.clerk_rs)
    a, b = _staff("JS甲"), _staff("JS乙")
    query = {"rule": "4.study_absence", "department": "JS", "period": "H1"}
    text = c.get(
        "/ledger/2016/entries/preview/", query | {f"persons-{a.pk}": "2", f"persons-{b.pk}": "1"}
    ).content.decode()
    assert "共 3 人次" in text and "0.60" in text  # 0.2 a person-time, three person-times


def test_batch_rows_name_persons_with_times(world: World) -> None:
    c = world.client(world.clerk_rs)
    rows = [["JS", "4.study_absence", "上半年", None, None, None, None, "JS甲×2、JS乙", "缺席"]]
    response = upload(c, rows, office="RS")
    assert "JS甲 ×2、JS乙 ×1" in response.content.decode()
    c.post("/ledger/2016/batch/", {"token": token(response), "action": "draft"})
    entry = Entry.objects.get()
    assert entry.count == 3 and _times(entry) == {"JS甲": 2, "JS乙": 1}


def test_batch_rows_of_person_time_rules_need_persons_and_agreeing_counts(world: World) -> None:
    rows = [
        BatchRow(line=2, department="JS", rule_id="4.study_absence", period="H1", count=2),
        BatchRow(
            line=3,
            department="JS",
            rule_id="4.study_absence",
            period="H1",
            count=2,
            persons=("JS甲", "JS甲", "JS乙"),
        ),
    ]
    with pytest.raises(actions.BatchInvalid) as invalid:
        actions.entries_batch_record(
            by=world.clerk_rs, year=world.year, office="RS", rows=rows, batch_id="p1"
        )
    assert invalid.value.problems[2] == {"persons": ["请至少填写一位涉及人员及其次数。"]}
    assert invalid.value.problems[3] == {"count": ["次数（2）与各人次数之和（3）不一致。"]}
    assert not Entry.objects.exists()


def test_a_badly_written_persons_column_is_reported(world: World) -> None:
    c = world.client(world.clerk_rs)
    rows = [["JS", "4.study_absence", "上半年", None, None, None, None, "JS甲×0", ""]]
    page = upload(c, rows, office="RS").content.decode()
    assert "多次的在姓名后加“×次数”" in page
    assert not Entry.objects.exists()


def test_the_bundle_names_a_person_once_per_person_time(world: World) -> None:
    a, b = _staff("JS甲"), _staff("JS乙")
    entry = _record(world, [b, a, a])
    entry = Entry.objects.prefetch_related("person_links__person").get(pk=entry.pk)
    assert entry.to_engine().extra["persons"] == ["JS乙", "JS甲", "JS甲"]


def _bundle(persons: list[str], count: int) -> dict[str, Any]:
    return {
        "format": "kaohe-bundle/1",
        "year": 2016,
        "scheme": "cz-jxw-2016",
        "departments": [{"code": "JS", "name": "技术进步处", "type": "service"}],
        "entries": [
            {
                "department": "JS",
                "rule": "4.study_absence",
                "period": "H1",
                "count": count,
                "persons": persons,
            }
        ],
        "ballots": [],
    }


def test_the_engine_refuses_persons_that_do_not_make_up_the_count() -> None:
    parse_bundle(_bundle(["王小明", "王小明", "丁海峰"], 3))
    with pytest.raises(InvalidInput) as refused:
        parse_bundle(_bundle(["王小明", "丁海峰", "钱志刚"], 1))
    (problem,) = refused.value.problems
    assert (problem.location, problem.code) == ("entries[0].persons", "entry_persons_count")


@pytest.mark.parametrize(
    ("count", "persons", "person_time", "times"),
    [
        (2, 2, True, [1, 1]),  # agree: once each
        (5, 2, True, [4, 1]),  # the surplus on the first person by name
        (1, 3, True, [1, 1, 1]),  # fewer person-times than persons: kept, refused at confirming
        (3, 1, False, [1]),  # not a person-time rule: once each
        (None, 2, True, [1, 1]),
    ],
)
def test_the_migration_gives_each_linked_person_times(
    count: int | None, persons: int, person_time: bool, times: list[int]
) -> None:
    assert migration.times_for(count, persons, person_time) == times


BEFORE = ("ledger", "0002_once_per_slot_batches_one_open_objection")


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_link_with_its_times() -> None:
    # given a database before the times, with three entries linking persons as they were
    year = make_year(2016, [DepartmentFactory(code="JS", type="service")])
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    OldEntry, OldPerson = old.get_model("ledger", "Entry"), old.get_model("org", "Person")
    ding, wang = (
        OldPerson.objects.create(department_id=year.assessed.get().department_id, name=n)
        for n in ("丁海峰", "王小明")
    )

    def entry(ref: str, rule: str, count: int) -> Any:
        e = OldEntry.objects.create(
            year_id=year.pk,
            ref=ref,
            department_id=ding.department_id,
            rule_id=rule,
            item=4,
            category="c",
            office="RS",
            period="H1",
            count=count,
        )
        e.persons.set([wang, ding])
        return e

    agree, surplus, short = (
        entry("A", "4.study_absence", 2),
        entry("B", "4.study_absence", 5),
        entry("C", "6.participation", 1),
    )
    # when the migrations apply forward
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then each keeps its persons: once each, the surplus on the first by name, a short count kept
    assert _times(Entry.objects.get(pk=agree.pk)) == {"丁海峰": 1, "王小明": 1}
    assert _times(Entry.objects.get(pk=surplus.pk)) == {"丁海峰": 4, "王小明": 1}
    assert _times(Entry.objects.get(pk=short.pk)) == {"丁海峰": 1, "王小明": 1}
    assert Entry.objects.get(pk=short.pk).count == 1
