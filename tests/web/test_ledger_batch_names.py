"""Batch entry by Chinese names (issue 10.12): drop-down lists of the office's rules, the
departments and the modifiers; ids still read; every problem of every row, each in its words."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kaohe.ledger.models import Entry
from tests.web.conftest import World
from tests.web.test_ledger_batch import template, token, upload

pytestmark = pytest.mark.django_db

REPORT_MISSED = "年度目标任务完成情况 · 半年度完成情况、督查系统网上申报少报"
PAPER = "积极开展工作调研 · 学术论文或调研报告在国家级报刊杂志刊登"
SHORT = "报刊文章不足500字或刊物文章不足1000字(减半)"


def test_the_template_offers_the_offices_rules_departments_and_modifiers_by_name(
    world: World,
) -> None:
    wb = template(world.client(world.clerk_zh))
    lists = wb["lists"]
    assert lists.sheet_state == "hidden"
    columns = {
        name: [c for c in column if c]
        for name, column in zip(
            ("departments", "rules", "periods", "modifiers"),
            zip(*lists.iter_rows(values_only=True), strict=True),
            strict=True,
        )
    }
    assert columns["departments"] == ["办公室", "技术进步处", "信息化推进处"]
    assert REPORT_MISSED in columns["rules"] and PAPER in columns["rules"]
    assert not any("学习日" in r for r in columns["rules"])  # 组织人事处's rule
    assert len(set(columns["rules"])) == len(columns["rules"])
    assert columns["periods"] == ["上半年", "下半年", "全年"]
    assert SHORT in columns["modifiers"]
    validations = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in wb.worksheets[0].data_validations.dataValidation
    }
    assert validations["A2"] == "kaohe_departments"
    assert validations["B2"] == "kaohe_rules"
    assert validations["F2"] == "kaohe_modifiers"
    assert wb.defined_names["kaohe_rules"].attr_text == f"'lists'!$B$1:$B${len(columns['rules'])}"


def test_rows_by_chinese_names_are_saved_with_their_ids(world: World) -> None:
    c = world.client(world.clerk_zh)
    rows = [
        ["技术进步处", REPORT_MISSED, "上半年", 2, None, None, None, None, "按名称"],
        ["XX", PAPER, "全年", 1, None, SHORT, None, None, "按编号与名称"],
        ["办公室", "1.target_unmet", "全年", 1, None, None, None, None, "编号"],
    ]
    response = upload(c, rows)
    c.post("/ledger/2016/batch/", {"token": token(response), "action": "draft"})
    saved = sorted(Entry.objects.values_list("department__code", "rule_id", "modifier", "count"))
    assert saved == [
        ("BG", "1.target_unmet", "", 1),
        ("JS", "1.report_missed", "", 2),
        ("XX", "2.paper_national", "short", 1),
    ]


def test_an_unknown_rule_is_not_called_another_offices(world: World) -> None:
    rows = [
        ["JS", "1.report_mised", "上半年", 1, None, None, None, None, ""],
        ["JS", "4.study_absence", "上半年", 1, None, None, None, None, ""],
    ]
    page = upload(world.client(world.clerk_zh), rows).content.decode()
    assert "本年度考核方案中没有细则 1.report_mised。" in page
    assert page.count("该细则不由您所在处室负责记录。") == 1


def test_an_unknown_department_does_not_hide_the_rows_other_problems(world: World) -> None:
    rows = [["ZZ", REPORT_MISSED, "上半年", 0, None, "打折", None, None, ""]]
    page = upload(world.client(world.clerk_zh), rows).content.decode()
    assert "本年度考核对象中没有处室代码为 ZZ 的处室。" in page
    assert "次数:请填写不小于 1 的整数。" in page
    assert "发现 3 处问题" in page  # the department, the count and the modifier


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_template(world: World, tmp_path: Path) -> None:
    response = world.client(world.clerk_zh).get("/ledger/2016/batch/template.xlsx?office=ZH")
    source = tmp_path / "template.xlsx"
    source.write_bytes(response.content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "template.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    # The saved template reads back with its lists.
    assert load_workbook(io.BytesIO(response.content)).defined_names["kaohe_departments"]


def test_the_review_names_each_rows_rule_not_its_id(world: World) -> None:
    # issue 10.19: the review of an uploaded batch shows "item · rule", never `1.report_missed`
    from tests.web.test_ledger_batch import upload

    c = world.client(world.clerk_zh)
    response = upload(c, [["JS", "1.report_missed", "上半年", 1, None, None, None, None, ""]])
    body = response.content.decode()
    assert response.status_code == 200
    assert "1.report_missed" not in body
    assert "未按时报送" in body or "·" in body
