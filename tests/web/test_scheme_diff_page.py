"""The differences between two schemes on the year's scheme page and in `kaohe scheme diff`
(issue 10, point 13)."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kaohe.engine import builtin_scheme
from kaohe.years.models import SchemeDocument, Year
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def year_2017(**changes: Any) -> Year:
    """2017 on a copy of the 2016 scheme with 业务工作 at 25 points and a higher amount."""
    doc = builtin_scheme("cz-jxw-2016").copy_document(new_id="cz-jxw-2017", year=2017)
    doc["categories"][0]["points"] = "25"
    doc["categories"][0]["items"][0]["rules"][0]["amount"] = "0.3"
    doc["honors"]["advanced"] = 6
    return Year.objects.create(year=2017, scheme_id="cz-jxw-2017", scheme_document=doc)


def diff_rows(body: str) -> list[list[str]]:
    """The rows of the differences' table, as texts."""
    table = re.search(r'<table class="stack diff scheme-diff">(.*?)</table>', body, re.DOTALL)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>")[1], re.DOTALL)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.DOTALL) for r in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


def test_the_years_scheme_page_lists_what_changed_from_the_previous_year(world: World) -> None:
    year_2017()
    body = client_for(world.head_js).get(reverse("years:scheme", args=[2017])).content.decode()
    assert "与上一年相比" in body
    assert diff_rows(body) == [
        ["类别分值", "业务工作", "20", "25"],
        ["分值标准", "半年度完成情况、督查系统网上申报少报", "0.2", "0.3"],
        ["评选名额", "先进处室", "5", "6"],
    ]
    # the head may compare with other years, not with the office's library
    assert 'value="year:2016"' in body and "builtin:" not in body


def test_another_scheme_can_be_chosen_to_compare_with(world: World) -> None:
    year_2017()
    doc = builtin_scheme("cz-jxw-2016").copy_document(new_id="draft")
    doc["evaluation"]["grades"][1]["coefficient"] = "0.7"
    SchemeDocument.objects.create(scheme_id="draft", name="草案", document=doc)
    office = client_for(world.office)
    url = reverse("years:scheme", args=[2017])
    body = office.get(url, {"compare": "library:draft"}).content.decode()
    assert "与上一年相比" not in body and "草案" in body
    assert ["等次系数", "良好", "0.7", "0.8"] in diff_rows(body)
    # a choice not offered falls back to the previous year
    head = client_for(world.head_js).get(url, {"compare": "library:draft"}).content.decode()
    assert "与上一年相比" in head


def test_the_first_year_has_nothing_to_compare_with(world: World) -> None:
    body = client_for(world.head_js).get(reverse("years:scheme", args=[2016])).content.decode()
    assert "没有可比较的上一年度。" in body


def test_the_same_scheme_has_no_difference(world: World) -> None:
    office = client_for(world.office)
    url = reverse("years:scheme", args=[2016])
    body = office.get(url, {"compare": "builtin:cz-jxw-2016"}).content.decode()
    assert "没有差异。" in body


def test_the_command_line_diff_of_two_years(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    year_2017()
    call_command("scheme_diff", "2016", "2017")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "cz-jxw-2016 -> cz-jxw-2017: 3 change(s)",
        "  category points: 业务工作: 20 -> 25",
        "  amount: 半年度完成情况、督查系统网上申报少报: 0.2 -> 0.3",
        "  honor size: advanced: 5 -> 6",
    ]


def test_the_command_line_diff_refuses_an_unknown_year(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1999: no such year, file or scheme"):
        call_command("scheme_diff", "1999", "2016")


def test_kaohe_scheme_diff_of_two_files_runs_without_django(tmp_path: Path) -> None:
    doc = builtin_scheme("cz-jxw-2016").copy_document(new_id="cz-jxw-2017")
    doc["categories"][1]["points"] = "12"
    new = tmp_path / "2017.json"
    new.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "scheme", "diff", "cz-jxw-2016", str(new)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "cz-jxw-2016 -> cz-jxw-2017: 1 change(s)",
        f"  category points: {doc['categories'][1]['name']}: 10 -> 12",
    ]


def test_kaohe_scheme_diff_with_a_year_goes_to_the_database() -> None:
    from kaohe.cli import _diff_of_years

    assert _diff_of_years(["kaohe", "scheme", "diff", "2016", "2017"])
    assert not _diff_of_years(["kaohe", "scheme", "diff", "cz-jxw-2016", "a.json"])
    assert not _diff_of_years(["kaohe", "scheme", "show", "2016"])


def test_the_office_may_copy_a_years_scheme_to_edit_it_for_a_new_year(world: World) -> None:
    url = reverse("years:scheme", args=[2016])
    copy = reverse("years:scheme_copy") + "?source=year:2016"
    assert copy in client_for(world.office).get(url).content.decode()
    assert copy not in client_for(world.head_js).get(url).content.decode()


def test_kaohe_scheme_diff_of_a_missing_file_exits_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kaohe.cli", "scheme", "diff", "cz-jxw-2016", "nope.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "nope.json" in done.stderr
