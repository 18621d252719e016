"""Uploads are judged by their bytes and stored and served under a name of their type (issue 9 §4).

The probe's files: `证据.bat` holding a PDF, `evidence.hta`, `evidence.pdf.html`, `pic.html`
with `GIF89a<script>`, `报告\u202efdp.exe`, a macro-enabled .docm, a zip with setup.exe given
as Word, an OLE2 file named .msi. Each goes through check_upload, which every upload uses, then
through the pages: evidence of an entry, files of an adjustment, the batch workbook.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kaohe.core.filenames import ascii_name, served_name, typed_name, visible_name
from kaohe.ledger import actions
from kaohe.ledger.evidence import check_upload
from kaohe.ledger.models import Entry, Evidence
from kaohe.results.models import Adjustment, Attachment
from tests.web import files_support as files
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

NOT_A_DOCUMENT = "不是 PDF、JPG 或 PNG 图片、Word、Excel 或 OFD 文档(按文件内容检查)"
MACROS = "含有宏,不能上传"
ARCHIVE = "是压缩包或夹带了其他文件,不能上传"
RLO = "\u202e"


@pytest.fixture(autouse=True)
def isolated_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


HTML = b"<html><head><script>alert(document.cookie)</script></head></html>"
HTA = b'<html><head><HTA:APPLICATION ID="x"/><script>new ActiveXObject("WScript.Shell")</script>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00"

REFUSED = [
    ("evidence.hta", HTA, NOT_A_DOCUMENT),
    ("evidence.pdf.html", HTML, NOT_A_DOCUMENT),
    ("pic.html", b"GIF89a<script>alert(1)</script>", NOT_A_DOCUMENT),
    (f"报告{RLO}fdp.exe", EXE, NOT_A_DOCUMENT),
    ("宏.docm", files.docm(), MACROS),
    ("宏.docx", files.docm(), MACROS),
    ("旧宏.doc", files.doc_with_macros(), MACROS),
    ("setup.docx", files.zipped({"setup.exe": EXE}), ARCHIVE),
    ("夹带.docx", files.docx(**{"setup.exe": EXE}), ARCHIVE),
    ("材料.zip", files.zipped({"说明.pdf": files.PDF}), ARCHIVE),
    ("材料.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 32, ARCHIVE),
    ("setup.msi", files.msi(), NOT_A_DOCUMENT),
    ("零件.docx", files.many_members(6000), NOT_A_DOCUMENT),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_files_that_are_no_document_are_refused_with_their_reason(
    name: str, data: bytes, message: str
) -> None:
    checked, why = check_upload(upload(name, data))
    assert checked is None
    assert message in why
    assert RLO not in why  # the name is shown as it reads, not reversed


ACCEPTED = [
    ("证据.bat", files.PDF, "证据.pdf", "application/pdf"),
    ("evidence.pdf.html", files.PDF, "evidence.pdf.pdf", "application/pdf"),
    (f"报告{RLO}fdp.exe", files.PDF, "报告fdp.pdf", "application/pdf"),
    ("照片.PNG", files.PNG, "照片.png", "image/png"),
    ("会议纪要2016.11.03", files.PDF, "会议纪要2016.11.03.pdf", "application/pdf"),
    ("旧文件.msi", files.doc(), "旧文件.doc", "application/msword"),
    ("通知.docx", files.docx(), "通知.docx", files.DOCX_TYPE),
    ("电子公文.ofd", files.ofd(), "电子公文.ofd", "application/ofd"),
    ("...", files.PDF, "file.pdf", "application/pdf"),
]


@pytest.mark.parametrize(
    ("name", "data", "stored", "type_"), ACCEPTED, ids=[a[0] for a in ACCEPTED]
)
def test_documents_are_kept_under_a_name_of_their_type(
    name: str, data: bytes, stored: str, type_: str
) -> None:
    checked, why = check_upload(upload(name, data))
    assert checked is not None, why
    assert (checked.name, checked.content_type) == (stored, type_)


def test_a_workbook_from_openpyxl_is_an_excel_document() -> None:
    out = io.BytesIO()
    Workbook().save(out)
    checked, _why = check_upload(upload("台账.xlsx", out.getvalue()))
    assert checked is not None and checked.name == "台账.xlsx"


def test_names_lose_invisible_and_forbidden_characters() -> None:
    assert visible_name(f"a{RLO}b\u200bc\u2066d\x00e\n.pdf") == "abcde.pdf"
    assert visible_name('a/b\\c:d*e?"<>|.pdf') == "a_b_c_d_e_____.pdf"
    assert typed_name("C:\\Users\\张三\\证据.bat", files_type("application/pdf")) == "证据.pdf"
    assert ascii_name("2016年会议纪要.pdf") == "2016.pdf"
    assert ascii_name("证据.pdf") == "file.pdf"


def files_type(content_type: str) -> Any:
    from kaohe.core.uploads import BY_CONTENT_TYPE

    return BY_CONTENT_TYPE[content_type]


# --- evidence on the pages -------------------------------------------------------------------


def entry_post(**kw: Any) -> dict[str, Any]:
    return {
        "office": "ZH",
        "department": "JS",
        "rule": "1.report_missed",
        "period": "H1",
        "count": "1",
        "description": "上半年完成情况未报送",
        "action": "submit",
        **kw,
    }


def test_evidence_is_stored_and_served_under_a_name_of_its_type(world: World) -> None:
    c = world.client(world.clerk_zh)
    response = c.post(
        "/ledger/2016/entries/new/", entry_post(evidence_files=[upload("证据.bat", files.PDF)])
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "证据.pdf"
    served = c.get(f"/ledger/evidence/{evidence.pk}/")
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == (
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E8%AF%81%E6%8D%AE.pdf"
    )
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


def test_evidence_refused_leaves_nothing_and_says_why(world: World) -> None:
    c = world.client(world.clerk_zh)
    response = c.post(
        "/ledger/2016/entries/new/", entry_post(evidence_files=[upload("宏.docm", files.docm())])
    )
    assert response.status_code == 200
    assert "文件 宏.docm 含有宏,不能上传" in response.content.decode()
    assert not Entry.objects.exists() and not Evidence.objects.exists()


def test_a_file_stored_before_under_an_unsafe_name_is_served_under_a_safe_one(
    world: World,
) -> None:
    checked, _why = check_upload(upload("说明.pdf", files.PDF))
    assert checked is not None
    entry = actions.entry_record(
        by=world.clerk_zh,
        year=world.year,
        department=world.js,
        rule_id="1.report_missed",
        office="ZH",
        period="H1",
        count=1,
    )
    evidence = actions.evidence_attach(by=world.clerk_zh, entry=entry, files=[checked])[0]
    Evidence.objects.filter(pk=evidence.pk).update(original_name=f"x{RLO}lmth.pdf.html")
    served = world.client(world.clerk_zh).get(f"/ledger/evidence/{evidence.pk}/")
    assert "filename*=UTF-8''xlmth.pdf.pdf" in served["Content-Disposition"]
    assert served_name("pic.html", "image/gif") == "pic.gif"


# --- the files of an adjustment --------------------------------------------------------------


def adjustment_post(name: str, data: bytes) -> dict[str, Any]:
    return {
        "department": str(world_js_pk()),
        "amount": "1",
        "reason": "党组研究决定",
        "meeting": "党组会议",
        "documents": [upload(name, data)],
    }


def world_js_pk() -> int:
    from kaohe.org.models import Department

    return Department.objects.get(code="JS").pk


def test_adjustment_files_are_checked_and_named_the_same_way(world: World) -> None:
    c = world.client(world.office)
    refused = c.post("/results/2016/adjustments/", adjustment_post("setup.msi", files.msi()))
    assert NOT_A_DOCUMENT in refused.content.decode()
    assert not Adjustment.objects.exists()
    c.post("/results/2016/adjustments/", adjustment_post(f"纪要{RLO}fdp.bat", files.PDF))
    attachment = Attachment.objects.get()
    assert attachment.original_name == "纪要fdp.pdf"
    served = c.get(f"/results/files/{attachment.pk}/")
    assert served["Content-Disposition"].endswith("filename*=UTF-8''%E7%BA%AA%E8%A6%81fdp.pdf")


# --- the batch workbook ----------------------------------------------------------------------


def test_a_macro_workbook_is_refused_as_a_batch_file(world: World) -> None:
    c = world.client(world.clerk_zh)
    response = c.post(
        "/ledger/2016/batch/", {"office": "ZH", "file": upload("批量.xlsm", files.docm())}
    )
    assert MACROS in response.content.decode()
