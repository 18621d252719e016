"""The self-assessment form (考核自评表) in the seed's layout: one function builds its rows, one
small renderer per format (xlsx, docx, pdf), each A4 portrait, ready to print and sign.

The layout is the seed's: the title with the organisation's name from the scheme, 处室 and
填表日期, then 类别 (with its points) / 考核内容 / 自评分 / 情况说明 for every item of the scheme,
合计 with the scheme's content points, 总分, the 处室负责人 signature line, and the seed's
"扫一扫在手机打开当前页" as a QR code of the form's page. User text (notes, names) is written as
text in every format: as a string cell in the workbook (kaohe.core.sheets), escaped in HTML.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import segno
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML

from kaohe.core.numbers import to_decimal
from kaohe.core.sheets import write
from kaohe.engine.numbers import plain
from kaohe.org.models import Department
from kaohe.results.exports.word import SANS, _run
from kaohe.years.models import SelfAssessmentRevision, Year


@dataclass(frozen=True)
class FormLine:
    """An item of the form: its number and title, the self score and the explanation."""

    number: int
    title: str
    score: Decimal | None
    note: str


@dataclass(frozen=True)
class FormCategory:
    """A category of the form with its points, its items and the self scores added up."""

    name: str
    points: Decimal
    lines: tuple[FormLine, ...]
    subtotal: Decimal

    @property
    def label(self) -> str:
        """业务工作(20分)."""
        values = {"name": self.name, "n": points_text(self.points)}
        return _("%(name)s (%(n)s points)") % values


@dataclass(frozen=True)
class FormSheet:
    """One department's self-assessment form as printed."""

    title: str
    year: int
    code: str
    department: str
    filled_on: str
    head_name: str
    categories: tuple[FormCategory, ...]
    content_points: Decimal
    total: Decimal
    url: str  # the form's page, for the QR code
    submitted: bool

    @property
    def total_label(self) -> str:
        """合计(70分)."""
        return _("Total (%(n)s points)") % {"n": points_text(self.content_points)}


def points_text(points: Decimal) -> str:
    """Points as the scheme writes them: 20, 2.5."""
    return plain(Fraction(points))


def score_text(score: Decimal | None) -> str:
    """A self score as printed (as typed, at most 2 places); empty when none was given."""
    return "" if score is None else f"{score.normalize():f}"


def form_title(year: Year) -> str:
    """市经信委机关内设机构年度考核自评表, with the organisation's name from the scheme."""
    organisation = str(year.scheme.document.get("organisation", ""))
    return _("%(organisation)s internal departments' annual self-assessment form") % {
        "organisation": organisation
    }


def form_sheet(
    year: Year, department: Department, revision: SelfAssessmentRevision | None, url: str
) -> FormSheet:
    """The form's rows from the scheme and the current revision (empty when none yet)."""
    lines = revision.lines if revision is not None else {}
    categories = []
    for category in year.scheme.categories:
        items = []
        for item in category.items:
            line = lines.get(str(item.number), {})
            score = Decimal(line["score"]) if line.get("score") else None
            items.append(FormLine(item.number, item.title, score, str(line.get("note", ""))))
        subtotal = sum((i.score for i in items if i.score is not None), Decimal(0))
        categories.append(
            FormCategory(category.name, to_decimal(category.points), tuple(items), subtotal)
        )
    filled = revision.filled_on if revision is not None else None
    return FormSheet(
        title=form_title(year),
        year=year.year,
        code=department.code,
        department=department.name,
        filled_on=filled.isoformat() if filled else "",
        head_name=revision.head_name if revision is not None else "",
        categories=tuple(categories),
        content_points=sum((c.points for c in categories), Decimal(0)),
        total=sum((c.subtotal for c in categories), Decimal(0)),
        url=url,
        submitted=revision is not None,
    )


def qr_png(url: str, *, scale: int = 4) -> bytes:
    """The page's address as a QR code (PNG), for 扫一扫在手机打开当前页."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def scan_text() -> str:
    """扫一扫在手机打开当前页."""
    return _("Scan to open this page on a phone")


def headers() -> list[str]:
    """类别 / 考核内容 / 自评分 / 情况说明."""
    return [_("Category"), _("Assessment item"), _("Self score"), _("Explanation")]


def sheet_name(sheet: FormSheet) -> str:
    """A worksheet's name: the department's, without the characters a sheet name refuses."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in sheet.department).strip()
    return (cleaned or sheet.code)[:31]


def signature_label() -> str:
    """处室负责人(签字):, the head's name and signature after it."""
    return _("Head of the department (signature):")


# --- the workbook ---------------------------------------------------------------------------


def forms_xlsx(forms: list[FormSheet]) -> bytes:
    """The forms as a workbook, one sheet per department, each printed on A4 portrait."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for form in forms:
        name = sheet_name(form)
        while name in used:  # two departments of the same name stay two sheets
            name = (name[:28] + f"~{len(used)}")[:31]
        used.add(name)
        _form_sheet_xlsx(book.create_sheet(name), form)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _form_sheet_xlsx(ws: Worksheet, form: FormSheet) -> None:
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for letter, width in zip("ABCD", (16, 34, 10, 40), strict=True):
        ws.column_dimensions[letter].width = width
    write(ws, 1, 1, form.title).font = Font(bold=True, size=15)
    ws.merge_cells("A1:D1")
    ws["A1"].alignment = centre
    ws.row_dimensions[1].height = 36
    write(ws, 2, 1, _("Department: %(name)s") % {"name": form.department})
    ws.merge_cells("A2:B2")
    write(ws, 2, 3, _("Date filled in: %(date)s") % {"date": form.filled_on})
    ws.merge_cells("C2:D2")
    for column, title in enumerate(headers(), start=1):
        cell = write(ws, 3, column, title)
        cell.font, cell.alignment, cell.border = Font(bold=True), centre, box
    row = 4
    for category in form.categories:
        first = row
        for line in category.lines:
            write(ws, row, 2, f"{line.number}、{line.title}").alignment = wrap
            if line.score is not None:
                write(ws, row, 3, line.score).number_format = "0.00"
            write(ws, row, 4, line.note).alignment = wrap
            ws.row_dimensions[row].height = 24  # room to write in by hand once printed
            row += 1
        write(ws, first, 1, category.label).alignment = centre
        if row - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    for label in (form.total_label, _("Overall score")):
        write(ws, row, 1, label).alignment = centre
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        write(ws, row, 3, form.total).number_format = "0.00"
        row += 1
    for r in ws.iter_rows(min_row=3, max_row=row - 1, max_col=4):
        for cell in r:
            cell.border = box
    row += 1
    write(ws, row, 1, signature_label() + form.head_name)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    write(ws, row, 3, scan_text()).alignment = wrap
    ws.row_dimensions[row].height = 80  # the QR code's height, and the words wrapped beside it
    image = Image(io.BytesIO(qr_png(form.url, scale=3)))
    ws.add_image(image, f"D{row}")
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.print_options.horizontalCentered = True


# --- the Word document ----------------------------------------------------------------------


def forms_docx(forms: list[FormSheet]) -> bytes:
    """The forms as one Word document, each on its own A4 page."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2)
    for i, form in enumerate(forms):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _form_docx(doc, form)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _form_docx(doc: object, form: FormSheet) -> None:
    title = doc.add_paragraph()  # type: ignore[attr-defined]
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, form.title, size=16, font=SANS, bold=True)
    head = doc.add_paragraph()  # type: ignore[attr-defined]
    department = _("Department: %(name)s") % {"name": form.department}
    filled = _("Date filled in: %(date)s") % {"date": form.filled_on}
    _run(head, f"{department}    {filled}", size=11, font=SANS)
    rows = sum(len(c.lines) for c in form.categories) + 3
    table = doc.add_table(rows=rows, cols=4)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, (3.6, 6.6, 1.8, 5), strict=True):
        column.width = Cm(width)  # the grid LibreOffice reads; Word reads each cell's
        for c in column.cells:
            c.width = Cm(width)

    def put(r: int, c: int, text: str, *, bold: bool = False) -> None:
        p = table.cell(r, c).paragraphs[0]
        _run(p, text, size=10.5, font=SANS, bold=bold)

    for c, text in enumerate(headers()):
        put(0, c, text, bold=True)
    r = 1
    for category in form.categories:
        first = r
        for line in category.lines:
            put(r, 1, f"{line.number}、{line.title}")
            put(r, 2, score_text(line.score))
            put(r, 3, line.note)
            r += 1
        merged = table.cell(first, 0).merge(table.cell(r - 1, 0))
        _run(merged.paragraphs[0], category.label, size=10.5, font=SANS)
    for label in (form.total_label, _("Overall score")):
        merged = table.cell(r, 0).merge(table.cell(r, 1))
        _run(merged.paragraphs[0], label, size=10.5, font=SANS, bold=True)
        put(r, 2, score_text(form.total), bold=True)
        r += 1
    sign = doc.add_paragraph()  # type: ignore[attr-defined]
    sign.paragraph_format.space_before = Cm(0.6)
    _run(
        sign,
        signature_label() + form.head_name,
        size=11,
        font=SANS,
    )
    qr = doc.add_paragraph()  # type: ignore[attr-defined]
    qr.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    qr.add_run().add_picture(io.BytesIO(qr_png(form.url)), width=Cm(2.2))
    _run(qr, scan_text(), size=9, font=SANS)


# --- PDF ------------------------------------------------------------------------------------


def forms_pdf(forms: list[FormSheet]) -> bytes:
    """The forms as one PDF, each on its own A4 page (WeasyPrint)."""
    pages = [
        (form, "data:image/png;base64," + base64.b64encode(qr_png(form.url)).decode("ascii"))
        for form in forms
    ]
    html = render_to_string(
        "results/pdf/self_assessment.html",
        {
            "pages": pages,
            "headers": headers(),
            "signature": signature_label(),
            "scan": scan_text(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
