"""Batch entry from Excel: the template, every row checked before anything is saved, all or nothing."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from kaohe.audit.models import AuditEvent
from kaohe.ledger import actions
from kaohe.ledger.actions import BatchInvalid, BatchRow
from kaohe.ledger.models import Entry, EntryStatus
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


HEADERS = [
    "处室（名称或代码）",
    "细则（项目 · 细则，或细则编号）",
    "期间(上半年/下半年/全年)",
    "次数",
    "实际报送数",
    "折算",
    "同一项工作标识",
    "涉及人员及次数（如：王小明×2、丁海峰）",
    "情况说明",
]
GOOD_ROWS = [
    ["JS", "1.report_missed", "上半年", 2, None, None, None, None, "半年度报告未报"],
    ["BG", "3.info_shortfall", "下半年", None, 1, None, None, None, "少报信息"],
    [
        "XX",
        "2.paper_national",
        "全年",
        1,
        None,
        "报刊文章不足500字或刊物文章不足1000字(减半)",
        "调研A",
        None,
        "",
    ],
    ["JS", "1.target_unmet", "全年", 1, None, None, None, None, "目标未完成"],
]


def template(c: Client, office: str = "ZH") -> Any:
    response = c.get(f"/ledger/2016/batch/template.xlsx?office={office}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def filled(c: Client, rows: list[list[Any]], office: str = "ZH") -> SimpleUploadedFile:
    wb = template(c, office)
    for row in rows:
        wb.worksheets[0].append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("批量.xlsx", out.getvalue())


def upload(c: Client, rows: list[list[Any]], office: str = "ZH") -> Any:
    return c.post("/ledger/2016/batch/", {"office": office, "file": filled(c, rows, office)})


def token(response: Any) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found, "the page offers no confirm step"
    return found.group(1)


def test_the_template_has_chinese_headers_and_a_reference_sheet(world: World) -> None:
    wb = template(world.client(world.clerk_zh))
    data, reference, _lists = wb.worksheets
    assert [c.value for c in data[1]] == HEADERS
    assert data.freeze_panes == "A2"
    rules = [r[0] for r in reference.iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert "1.report_missed" in rules and "18.individual_city" in rules
    assert "4.study_absence" not in rules  # 组织人事处's rule
    departments = [
        r[0] for r in reference.iter_rows(min_row=2, min_col=8, max_col=8, values_only=True)
    ]
    assert [d for d in departments if d] == ["BG", "JS", "XX"]
    lists = [dv.formula1 for dv in data.data_validations.dataValidation]
    assert "kaohe_periods" in lists


def test_a_template_only_for_the_clerks_own_office(world: World) -> None:
    assert (
        world.client(world.clerk_zh).get("/ledger/2016/batch/template.xlsx?office=RS").status_code
        == 404
    )
    assert world.client(world.head_js).get("/ledger/2016/batch/template.xlsx").status_code == 403


def test_every_rows_problems_are_shown_and_nothing_is_saved(world: World) -> None:
    c = world.client(world.clerk_zh)
    rows = [
        ["JS", "1.report_missed", "上半年", 1, None, None, None, None, "正确的一行"],
        ["ZZ", "1.report_missed", "上半年", 1, None, None, None, None, ""],  # unknown department
        ["JS", "4.study_absence", "上半年", 1, None, None, None, None, ""],  # another office's rule
        ["JS", "1.report_missed", "明年", "两次", None, None, None, None, ""],  # period and count
        ["BG", "3.info_shortfall", "上半年", None, 1, None, None, None, ""],
        ["BG", "3.info_shortfall", "上半年", None, 0, None, None, None, ""],  # twice in the file
        [
            "JS",
            "1.report_missed",
            "上半年",
            1,
            None,
            None,
            None,
            "JS甲",
            "",
        ],  # not a 人次 rule: fine
    ]
    response = upload(c, rows)
    page = response.content.decode()
    assert response.status_code == 200
    assert "发现 6 处问题,未保存任何记录。" in page
    assert "本年度考核对象中没有处室代码为 ZZ 的处室。" in page
    assert "该细则不由您所在处室负责记录。" in page
    assert "期间(上半年/下半年/全年):请填写“上半年”“下半年”或“全年”。" in page
    assert "次数:请填写不小于 1 的整数。" in page
    assert "该处室本半年已有此项少报记录。" in page
    assert "涉及人员及次数（如：王小明×2、丁海峰）:该细则不按人次计分,“涉及人员”请留空。" in page
    assert 'name="token"' not in page
    assert not Entry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_good_file_is_shown_with_its_amounts_then_saved_on_confirmation(world: World) -> None:
    c = world.client(world.clerk_zh)
    response = upload(c, GOOD_ROWS)
    page = response.content.decode()
    assert "所有行均可录入。确认之前不会保存。" in page
    assert "扣 0.40 分" in page and "扣 0.20 分" in page and "加 1.50 分" in page
    assert "区间 1–5 分/项,待考核办评定" in page
    assert not Entry.objects.exists()
    response = c.post("/ledger/2016/batch/", {"token": token(response), "action": "submit"})
    assert response.status_code == 302
    entries = list(Entry.objects.order_by("ref"))
    assert [(e.department.code, e.rule_id, e.status) for e in entries] == [
        ("JS", "1.report_missed", EntryStatus.SUBMITTED),
        ("BG", "3.info_shortfall", EntryStatus.SUBMITTED),
        ("XX", "2.paper_national", EntryStatus.SUBMITTED),
        ("JS", "1.target_unmet", EntryStatus.SUBMITTED),
    ]
    assert (entries[1].actual, entries[2].modifier, entries[2].same_work) == (1, "short", "调研A")
    assert "已保存 4 条记录。" in c.get(response["Location"]).content.decode()


def test_confirming_the_same_check_twice_saves_once(world: World) -> None:
    c = world.client(world.clerk_zh)
    confirm = {"token": token(upload(c, GOOD_ROWS)), "action": "draft"}
    c.post("/ledger/2016/batch/", confirm)
    response = c.post("/ledger/2016/batch/", confirm, follow=True)
    assert "这批记录已经保存过了。" in response.content.decode()
    assert Entry.objects.filter(status=EntryStatus.DRAFT).count() == 4


def test_uploading_a_saved_file_again_only_warns(world: World) -> None:
    c = world.client(world.clerk_zh)
    wb_file = filled(c, GOOD_ROWS[:1])
    data = wb_file.read()
    first = c.post(
        "/ledger/2016/batch/", {"office": "ZH", "file": SimpleUploadedFile("a.xlsx", data)}
    )
    c.post("/ledger/2016/batch/", {"token": token(first), "action": "draft"})
    again = c.post(
        "/ledger/2016/batch/", {"office": "ZH", "file": SimpleUploadedFile("a.xlsx", data)}
    )
    assert "该文件已于" in again.content.decode()
    assert Entry.objects.count() == 1


def test_a_tampered_check_is_refused(world: World) -> None:
    c = world.client(world.clerk_zh)
    forged = token(upload(c, GOOD_ROWS))[:-3] + "abc"
    response = c.post("/ledger/2016/batch/", {"token": forged}, follow=True)
    assert "检查结果已失效,请重新上传文件。" in response.content.decode()
    assert not Entry.objects.exists()


def test_another_clerk_cannot_replay_a_check(world: World) -> None:
    confirm = {"token": token(upload(world.client(world.clerk_zh), GOOD_ROWS))}
    other = world.client(world.clerk_rs)
    assert other.post("/ledger/2016/batch/", confirm).status_code == 403
    assert not Entry.objects.exists()


def test_only_xlsx_files_are_accepted_by_their_content(world: World) -> None:
    c = world.client(world.clerk_zh)
    pdf = SimpleUploadedFile("伪装.xlsx", b"%PDF-1.4 not a workbook")
    response = c.post("/ledger/2016/batch/", {"office": "ZH", "file": pdf})
    assert "请上传填好的 Excel 模板(.xlsx)。" in response.content.decode()


def test_a_file_that_is_not_the_template_is_refused(world: World) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["随便", "什么"])
    out = io.BytesIO()
    wb.save(out)
    c = world.client(world.clerk_zh)
    response = c.post(
        "/ledger/2016/batch/",
        {"office": "ZH", "file": SimpleUploadedFile("x.xlsx", out.getvalue())},
    )
    assert "表头与模板不一致,请重新下载模板填写。" in response.content.decode()


def test_an_empty_template_holds_no_entries(world: World) -> None:
    response = upload(world.client(world.clerk_zh), [])
    assert "文件中没有记录。" in response.content.decode()


def test_only_recording_clerks_use_batch_entry(world: World) -> None:
    for user in (world.office, world.head_js, world.outsider):
        assert world.client(user).get("/ledger/2016/batch/").status_code == 403


def test_the_batch_action_saves_all_or_nothing(world: World) -> None:
    rows = [
        BatchRow(line=2, department="JS", rule_id="1.report_missed", period="H1", count=1),
        BatchRow(line=3, department="JS", rule_id="1.report_missed", period="H1", count=None),
        BatchRow(
            line=4,
            department="JS",
            rule_id="4.study_absence",
            period="H1",
            count=1,
            persons=("无名氏",),
        ),
    ]
    with pytest.raises(BatchInvalid) as invalid:
        actions.entries_batch_record(
            by=world.clerk_zh, year=world.year, office="ZH", rows=rows, batch_id="b1"
        )
    assert set(invalid.value.problems) == {3, 4}
    assert not Entry.objects.exists()
    saved = actions.entries_batch_record(
        by=world.clerk_zh, year=world.year, office="ZH", rows=rows[:1], batch_id="b2"
    )
    assert [e.rule_id for e in saved] == ["1.report_missed"]
    event = AuditEvent.objects.get(action="entries_batch_record")
    assert event.after["entries"] == [saved[0].ref]


def test_persons_are_named_for_person_time_rules(world: World) -> None:
    c = world.client(world.clerk_rs)
    rows = [
        ["JS", "4.study_absence", "上半年", 2, None, None, None, "JS甲、JS乙", "学习日缺席"],
        ["XX", "4.study_absence", "上半年", 1, None, None, None, "JS甲", ""],  # not XX's staff
    ]
    page = upload(c, rows, office="RS").content.decode()
    assert "以下人员不在该处室在册人员中:JS甲。" in page
    response = upload(c, rows[:1], office="RS")
    c.post("/ledger/2016/batch/", {"token": token(response), "action": "draft"})
    entry = Entry.objects.get()
    assert sorted(p.name for p in entry.persons.all()) == ["JS乙", "JS甲"]
