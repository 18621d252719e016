"""A batch workbook is measured before it is parsed: unpacked size, ratio, rows (issue 9 §5).

The probe's file: 729 KB of xlsx whose shared strings inflate to 202 MiB cost a worker 14.8 s
and 349 MiB. Such files are refused from the zip directory and a streamed count of the first
sheet's rows; openpyxl is never called on them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kaohe.ledger import excel
from kaohe.ledger.models import Entry
from tests.web.conftest import World
from tests.web.test_ledger_batch import GOOD_ROWS, filled

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def rewritten(original: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = replace.pop(info.filename, None)
            data = src.read(info) if data is None else data
            dst.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
        for name, data in replace.items():
            dst.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def shared_strings(size: int) -> bytes:
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    return head + b"A" * size + b"</t></si></sst>"


def sheet_rows(n: int) -> bytes:
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>JS</t></is></c></row>' % (i, i)
        for i in range(1, n + 1)
    )
    return (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )


@pytest.fixture
def no_parsing(monkeypatch: Any) -> Iterator[None]:
    """Fail the test if openpyxl is asked to parse the workbook. The refusal is noted, not only
    raised: the reader turns any exception of openpyxl's, an AssertionError too, into a message."""
    calls: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        raise RuntimeError("openpyxl was asked to parse the workbook")

    monkeypatch.setattr(excel, "load_workbook", refuse)
    yield
    assert not calls, "openpyxl was asked to parse the workbook"


def post(c: Client, data: bytes) -> str:
    response = c.post(
        "/ledger/2016/batch/", {"office": "ZH", "file": SimpleUploadedFile("批量.xlsx", data)}
    )
    assert response.status_code == 200
    return response.content.decode()


def good_file(c: Client) -> bytes:
    return filled(c, GOOD_ROWS[:1]).read()


def test_shared_strings_inflating_to_40_mb_are_refused_unparsed(
    world: World, no_parsing: None
) -> None:
    c = world.client(world.clerk_zh)
    bomb = rewritten(good_file(c), {"xl/sharedStrings.xml": shared_strings(40 * MB)})
    assert len(bomb) < 1 * MB  # the upload itself is small
    page = post(c, bomb)
    assert "该工作簿解压后超过 16 MB" in page
    assert not Entry.objects.exists()


def test_a_part_inflating_a_thousandfold_is_refused_though_small_once_unpacked(
    world: World, no_parsing: None
) -> None:
    c = world.client(world.clerk_zh)
    bomb = rewritten(good_file(c), {"xl/sharedStrings.xml": shared_strings(8 * MB)})
    assert "该工作簿解压后超过 16 MB" in post(c, bomb)


def test_a_first_sheet_of_more_rows_than_a_batch_takes_is_refused_unparsed(
    world: World, no_parsing: None
) -> None:
    c = world.client(world.clerk_zh)
    many = rewritten(good_file(c), {"xl/worksheets/sheet1.xml": sheet_rows(1500)})
    assert "每次最多导入 1000 行。" in post(c, many)


def test_a_workbook_within_the_limits_is_read(world: World) -> None:
    c = world.client(world.clerk_zh)
    page = post(c, rewritten(good_file(c), {}))
    assert 'name="token"' in page  # checked, offered for confirmation
