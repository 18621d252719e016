"""The notice and the score sheets print the version and the first digits of its seal, so a
printed copy can be checked against the system; the version's page and the list show it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document

from tests.web.conftest import World
from tests.web.results_support import needs_poppler, pdf_text
from tests.web.seal_support import published_world

pytestmark = pytest.mark.django_db


def test_the_version_page_and_the_versions_list_show_the_seal(world: World) -> None:
    p = published_world(world)
    client = world.client(world.head_js)
    assert p.seal[16:] in client.get("/results/2016/").content.decode()
    listing = client.get("/results/2016/versions/").content.decode()
    assert p.seal[:16] in listing and p.seal[16:] not in listing


def _docx_text(body: bytes) -> str:
    return "\n".join(par.text for par in Document(io.BytesIO(body)).paragraphs)


def test_the_notice_in_word_prints_the_version_and_its_seal(world: World) -> None:
    p = published_world(world)
    body = world.client(world.head_js).get("/results/2016/versions/1/notice.docx").content
    assert f"第1版 · 版本校验码 {p.seal[:16]}" in _docx_text(body)
    assert p.seal[:17] not in _docx_text(body)


@needs_poppler
def test_the_notice_and_the_score_sheet_in_pdf_print_the_version_and_its_seal(
    world: World, tmp_path: Path
) -> None:
    p = published_world(world)
    client = world.client(world.head_js)
    for url in ("notice.pdf", "sheets/JS.pdf"):
        path = tmp_path / url.replace("/", "-")
        path.write_bytes(client.get(f"/results/2016/versions/1/{url}").content)
        text = re.sub(r"\s+", "", pdf_text(path))
        assert "第1版" in text and f"版本校验码{p.seal[:16]}" in text, url
