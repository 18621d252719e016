"""The published supervision circular as Word and PDF, in the GB/T 9704 layout: read back with
poppler (text, fonts, page size, where the text boxes sit) and, for Word, through LibreOffice."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from kaohe.results import actions
from kaohe.results.models import Circular
from tests.web.conftest import module_data
from tests.web.results_support import Demo, demo_year, needs_poppler, needs_soffice, pdf_text
from tests.web.results_support import soffice_convert as convert
from tests.web.test_circulars import JULY, approved_js_target

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
LEFT, RIGHT = 28 * MM, (210 - 26) * MM  # 订口 28 mm, the 版心 156 mm wide
TOP, BOTTOM = 37 * MM, (37 + 225) * MM  # 天头 37 mm, the 版心 225 mm high
NUMBER_TOP = BOTTOM + 7 * MM  # the page number 7 mm under the 版心
HALF_LEADING = (28.95 - 16) / 2  # a 3号 character in its 28.95 pt line
CHAR = 14  # 4号: the page number sits a character in from the edge of the 版心
SHOTS = Path("/work/wt/shots-c11")


@dataclass(frozen=True)
class Files:
    """The published circular, its Word and PDF bytes, and who asked for them."""

    demo: Demo
    circular_pk: int
    docx: bytes
    pdf: bytes


@pytest.fixture(scope="module")
def files(django_db_setup: None, django_db_blocker: Any) -> Iterator[Files]:
    with module_data(django_db_blocker), translation.override("zh-hans"):
        demo = Demo(demo_year())
        approved_js_target(demo)
        draft = actions.circular_draft(
            by=demo.office, year=demo.year, half="H1", number="常经信考〔2016〕3号", date=JULY
        )
        circular = actions.circular_publish(by=demo.office, draft=draft)
        client = demo.client(demo.head_js)  # a department reads the published circular
        base = "/results/2016/circulars/H1/circular."
        docx, pdf = (body(client.get(base + fmt)) for fmt in ("docx", "pdf"))
        yield Files(demo, circular.pk, docx, pdf)


def body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@dataclass(frozen=True)
class Word:
    """A word box of pdftotext -bbox, its page counted from 1."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def boxes(path: Path) -> list[Word]:
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True
    ).stdout.decode()
    out = []
    for n, page in enumerate(html.split("<page ")[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            out.append(Word(n, x0, y0, x1, y1, m[5]))
    return out


def page_size(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found[1]), float(found[2])


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout.decode()
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found, info
    return int(found[1])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_text(text: str, files: Files) -> None:
    circular = Circular.objects.get(pk=files.circular_pk)
    flat = squash(text)
    assert squash(circular.title) in flat
    assert "常经信考〔2016〕3号" in flat
    assert "名次（暂定）" in flat and "暂定排名" in flat
    for r in circular.content["ranking"]:
        assert squash(r["name"]) in flat, r["name"]
    first = circular.content["ranking"][0]
    assert first["total"] in flat
    assert "常州市经济和信息化委员会考核办公室" in flat
    assert "2016年7月20日" in flat


def page_numbers(words: list[Word]) -> dict[int, Word]:
    """The page number of each page: the words under the 版心 (— 1 —) as one box."""
    found: dict[int, list[Word]] = {}
    for w in words:
        if w.y0 > BOTTOM + 2:
            found.setdefault(w.page, []).append(w)
    return {
        page: Word(
            page,
            min(w.x0 for w in ws),
            min(w.y0 for w in ws),
            max(w.x1 for w in ws),
            max(w.y1 for w in ws),
            " ".join(w.text for w in ws),
        )
        for page, ws in found.items()
    }


def check_margins(path: Path, *, exact_grid: bool) -> None:
    assert page_size(path) == pytest.approx(A4, abs=1)
    words = boxes(path)
    numbers = page_numbers(words)
    assert set(numbers) == set(range(1, pages(path) + 1)), numbers  # every page numbered
    body = [w for w in words if w.y0 < BOTTOM + 2]
    assert min(w.x0 for w in body) >= LEFT - 1.5
    assert min(w.x0 for w in body) <= LEFT + 1.5  # the text starts at the 订口
    assert max(w.x1 for w in body) <= RIGHT + 1.5
    for page in {w.page for w in body} - {1}:
        on_page = [w for w in body if w.page == page]
        # 天头: the first line's box starts at 37 mm, its glyphs half a leading lower
        assert TOP - 1 <= min(w.y0 for w in on_page) <= TOP + HALF_LEADING + 2
    assert max(w.y1 for w in body) <= BOTTOM + 1
    for page, number in numbers.items():
        assert re.fullmatch(rf"— ?{page} ?—", number.text), number
        assert number.y0 == pytest.approx(NUMBER_TOP, abs=4)
        if page % 2:  # odd pages: right, a character in
            assert number.x1 == pytest.approx(RIGHT - CHAR, abs=4), (page, number)
        else:  # even pages: left, a character in
            assert number.x0 == pytest.approx(LEFT + CHAR, abs=4), (page, number)
    if exact_grid:
        check_grid(body)
    check_signature(words)


def check_signature(words: list[Word]) -> None:
    """The issuer two characters from the right of the 版心, the date two characters right of
    the issuer's first character (GB/T 9704 §7.3.5.2, no seal)."""
    last = max(w.page for w in words)
    issuer = [
        w
        for w in words
        if w.page == last and w.text.startswith("常州市") and w.text.endswith("考核办公室")
    ]
    assert issuer, [w.text for w in words if w.page == last]
    signed = issuer[-1]
    date = [w for w in words if w.page == last and signed.y1 < w.y0 < signed.y1 + 30]
    assert squash("".join(w.text for w in date)) == "2016年7月20日"
    char = 156 * MM / 28
    assert signed.x1 == pytest.approx(RIGHT - 2 * char, abs=4)
    assert min(w.x0 for w in date) == pytest.approx(signed.x0 + 2 * char, abs=4)


def check_grid(body: list[Word]) -> None:
    """22 lines a full page, 28 characters a full line."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in body:
        lines.setdefault((w.page, round(w.y1)), []).append(w)
    per_page: dict[int, int] = {}
    for page, _ in lines:
        per_page[page] = per_page.get(page, 0) + 1
    # the pages of text, before the ranking's table (its rows are not on the body's grid)
    table = min(w.page for w in body if "名次" in w.text)
    text_pages = [n for page, n in per_page.items() if page < table]
    assert max(text_pages) == 22 and all(n <= 22 for n in text_pages), per_page
    cjk = [
        sum(len(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", w.text)) for w in ws)
        for (page, _), ws in lines.items()
        if page < table
    ]
    assert max(cjk) == 28, max(cjk)


@needs_poppler
def test_the_pdf_reads_as_the_circular_in_embedded_fandol_fonts(
    files: Files, tmp_path: Path
) -> None:
    path = tmp_path / "circular.pdf"
    path.write_bytes(files.pdf)
    check_text(pdf_text(path), files)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in rows}
    # 小标宋 title, 仿宋 body, 黑体 and 楷体 headings, 宋体 page numbers: the free substitutes
    assert names == {"FandolSong-Title", "FandolFang", "FandolHei", "FandolKai", "FandolSong-Text"}
    assert all(" yes yes " in line for line in rows), fonts  # embedded, subset


@needs_poppler
def test_the_pdf_sits_on_the_gbt_9704_page(files: Files, tmp_path: Path) -> None:
    path = tmp_path / "circular.pdf"
    path.write_bytes(files.pdf)
    assert pages(path) >= 3
    check_margins(path, exact_grid=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == pages(path)
    if SHOTS.is_dir():
        for png in tmp_path.glob("p-*.png"):
            (SHOTS / f"circular-pdf-{png.name}").write_bytes(png.read_bytes())


def test_the_docx_names_the_official_fonts_and_the_page(files: Files) -> None:
    with zipfile.ZipFile(__import__("io").BytesIO(files.docx)) as z:
        document = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
        styles = z.read("word/styles.xml").decode()
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    for face in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{face}"' in document, face
    assert 'w:eastAsia="仿宋_GB2312"' in styles  # the Normal style: body text in 3号 仿宋
    assert re.search(r'<w:pgSz w:w="11906" w:h="16838"', document)
    margins = re.search(r"<w:pgMar ([^>]*)/>", document)
    assert margins
    values = dict(re.findall(r'w:(\w+)="(\d+)"', margins[1]))
    # twips: 37 mm, 28 mm, 26 mm, 35 mm
    assert (values["top"], values["left"], values["right"], values["bottom"]) == (
        "2098",
        "1587",
        "1474",
        "1984",
    )
    assert 'w:linePitch="579"' in document and 'w:type="lines"' in document
    assert '<w:spacing w:val="-5"/>' in styles  # 28 characters of 3号 in 156 mm
    assert "<w:evenAndOddHeaders" in settings
    assert len(footers) == 2 and all("PAGE" in f and "—" in f for f in footers)
    assert 'w:eastAsia="宋体"' in footers[0]


@needs_soffice
@needs_poppler
def test_libreoffice_lays_the_docx_out_on_the_gbt_9704_page(files: Files, tmp_path: Path) -> None:
    source = tmp_path / "circular.docx"
    source.write_bytes(files.docx)
    pdf = convert(source, "pdf", tmp_path / "out")
    check_text(pdf_text(pdf), files)
    check_margins(pdf, exact_grid=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "w")], check=True)
    assert len(list(tmp_path.glob("w-*.png"))) == pages(pdf)
    if SHOTS.is_dir():
        for png in tmp_path.glob("w-*.png"):
            (SHOTS / f"circular-docx-{png.name}").write_bytes(png.read_bytes())


@needs_poppler
def test_without_the_fandol_fonts_the_pdf_falls_back_to_noto_cjk(
    files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaohe.results.exports import gongwen
    from kaohe.results.exports.circular import circular_pdf
    from kaohe.results.views.circulars import published_document

    monkeypatch.setattr(gongwen, "FANDOL", tmp_path / "no-fandol")
    assert "@font-face" not in gongwen.css()
    with translation.override("zh-hans"):
        pdf = circular_pdf(published_document(Circular.objects.get(pk=files.circular_pk)))
    path = tmp_path / "circular.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout.decode()
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names and all(n.startswith("Noto") for n in names), names
    check_text(pdf_text(path), files)
    check_margins(path, exact_grid=True)
