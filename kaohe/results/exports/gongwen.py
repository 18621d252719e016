"""The layout of a Chinese official document (GB/T 9704-2012, 党政机关公文格式), shared by every
Word and PDF document the results print: the 考核结果通报 and the half-year 督查通报.

A4; 天头 (top margin) 37 mm, 订口 (left margin) 28 mm, 版心 156 × 225 mm, so 26 mm right and
35 mm bottom; 22 lines of 28 characters of 3号 (16 pt) type; the title in 2号 (22 pt) 小标宋,
the body in 3号 仿宋, first-level headings in 黑体 and second-level ones in 楷体; page numbers
in 4号 (14 pt) between 一字线 (— 1 —), 7 mm under the 版心, right on odd pages and left on
even ones, a character in from the edge of the 版心.

Word documents name the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体),
so Word and WPS use them where they are installed. PDF documents embed freely licensed
substitutes: the Fandol fonts of Debian's texlive-lang-chinese (GPL with the font exception),
or Noto CJK when those files are absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# millimetres
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
TOP, LEFT = 37, 28
BODY_WIDTH, BODY_HEIGHT = 156, 225
RIGHT = PAGE_WIDTH - LEFT - BODY_WIDTH  # 26
BOTTOM = PAGE_HEIGHT - TOP - BODY_HEIGHT  # 35
PAGE_NUMBER_GAP = 7  # from the bottom of the 版心 to the page number

LINES, CHARACTERS = 22, 28
TITLE_PT, BODY_PT, PAGE_NUMBER_PT, TABLE_PT = 22, 16, 14, 12

MM_PT = Decimal(72) / Decimal("25.4")
# 225 mm over 22 lines is 28.99 pt a line; Word's grid is in twentieths of a point, so both
# formats use 28.95 pt (579 twips), which keeps 22 lines inside the 版心.
LINE_PITCH_TWIPS = 579
LINE_PT = Decimal(LINE_PITCH_TWIPS) / 20
# 156 mm over 28 characters is 15.79 pt a character: 16 pt type 0.21 pt closer.
CHAR_PT = (BODY_WIDTH * MM_PT / CHARACTERS).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
LETTER_SPACING_PT = CHAR_PT - BODY_PT  # negative
# Word's character spacing is in twentieths of a point: -0.25 pt, so 28 characters fit in
# 156 mm. (A character grid, w:docGrid linesAndChars, would do it in Word but LibreOffice
# gives a 16 pt character two cells of a 15.8 pt grid: 14 characters a line.)
SPACING_TWENTIETHS = int((LETTER_SPACING_PT * 20).to_integral_value(rounding="ROUND_FLOOR"))


@dataclass(frozen=True)
class Face:
    """A typeface of the document: the official name Word asks for, the free substitute
    embedded in PDF (a Fandol file) and the Noto family used when that file is absent."""

    official: str
    family: str  # the name the PDF's CSS gives the substitute
    file: str
    fallback: str


FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
TITLE = Face("方正小标宋简体", "FandolSong Title", "FandolSong-Bold.otf", "Noto Serif CJK SC")
BODY = Face("仿宋_GB2312", "FandolFang", "FandolFang-Regular.otf", "Noto Serif CJK SC")
HEADING = Face("黑体", "FandolHei", "FandolHei-Regular.otf", "Noto Sans CJK SC")
SUBHEADING = Face("楷体_GB2312", "FandolKai", "FandolKai-Regular.otf", "Noto Serif CJK SC")
NUMBERS = Face("宋体", "FandolSong Text", "FandolSong-Regular.otf", "Noto Serif CJK SC")
FACES = (TITLE, BODY, HEADING, SUBHEADING, NUMBERS)


def face_path(face: Face) -> Path | None:
    """The substitute's file, if installed."""
    path = FANDOL / face.file
    return path if path.is_file() else None


def font_stack(face: Face) -> str:
    """The CSS font-family of a face: its substitute when installed, else Noto CJK."""
    if face_path(face) is None:
        return f'"{face.fallback}", serif'
    return f'"{face.family}", "{face.fallback}", serif'


def header_pt(text: str) -> int:
    """The size of the 发文机关标志 (版头): 26 pt, smaller as needed to stay on one line."""
    return max(16, min(26, int(BODY_WIDTH * MM_PT / max(len(text), 1))))


def ems(text: str) -> Decimal:
    """The width of a line of text in characters of its size: ASCII half a character."""
    return sum((Decimal("0.5") if ord(c) < 128 else Decimal(1) for c in text), Decimal(0))


def date_start(issuer: str) -> Decimal:
    """落款 without a seal (GB/T 9704 §7.3.5.2): the issuer is two characters from the right
    and the date under it starts two characters right of the issuer's first character: where
    the date starts, in characters from the left of the 版心 (an issuer too long for one line
    puts the date two characters from the right instead)."""
    width = ems(issuer)
    if width > CHARACTERS - 2:
        return Decimal(CHARACTERS - 2) - Decimal(len("0000年00月00日")) / 2
    return CHARACTERS - width


def page_number(n: int | str) -> str:
    """A page number between 一字线: — 1 —."""
    return f"— {n} —"


def css() -> str:
    """The CSS every official PDF starts with: fonts, page, page numbers, body, headings."""
    faces = [
        f'@font-face {{ font-family: "{f.family}"; src: url("{path.as_uri()}"); }}'
        for f in FACES
        if (path := face_path(f)) is not None
    ]
    number = (
        f'content: "— " counter(page) " —"; font-family: {font_stack(NUMBERS)}; '
        f"font-size: {PAGE_NUMBER_PT}pt; vertical-align: top; padding-top: {PAGE_NUMBER_GAP}mm;"
    )
    return "\n".join(
        [
            *faces,
            f"@page {{ size: A4; margin: {TOP}mm {RIGHT}mm {BOTTOM}mm {LEFT}mm; }}",
            f"@page :right {{ @bottom-right {{ {number} padding-right: 1em; }} }}",
            f"@page :left {{ @bottom-left {{ {number} padding-left: 1em; }} }}",
            f"body {{ font-family: {font_stack(BODY)}; font-size: {BODY_PT}pt; "
            f"line-height: {LINE_PT}pt; letter-spacing: {LETTER_SPACING_PT}pt; color: #000; "
            "margin: 0; text-align: justify; }",
            "p { margin: 0; }",
            ".indent { text-indent: 2em; }",
            f".title {{ font-family: {font_stack(TITLE)}; font-size: {TITLE_PT}pt; "
            f"line-height: {LINE_PT * 5 / 4}pt; text-align: center; margin: {LINE_PT * 2}pt 0 "
            f"{LINE_PT}pt; letter-spacing: 0; font-weight: normal; }}",
            f".h1 {{ font-family: {font_stack(HEADING)}; text-indent: 2em; "
            "page-break-after: avoid; }",
            f".h2 {{ font-family: {font_stack(SUBHEADING)}; text-indent: 2em; "
            "page-break-after: avoid; }",
            f".hei {{ font-family: {font_stack(HEADING)}; }}",
            f".redhead {{ font-family: {font_stack(TITLE)}; color: #c00000; "
            "text-align: center; line-height: 1.4; letter-spacing: 0; margin: 0; }",
            ".docno { text-align: center; margin-top: "
            f"{LINE_PT * 2}pt; padding-bottom: 4mm; border-bottom: 1.5pt solid #c00000; }}",
            # 落款 without a seal: the issuer two characters from the right, the date under it
            # starting two characters right of the issuer's first character.
            f".signature {{ text-align: right; margin-top: {LINE_PT}pt; }}",
            ".signature .issuer { padding-right: 2em; }",
        ]
    )
