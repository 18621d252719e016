"""PDF exports (WeasyPrint): the results notice, a one-page score sheet per department, and all
the sheets in one file."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from kaohe.constants import DepartmentType, honor_names
from kaohe.results.exports import gongwen
from kaohe.results.exports.data import ExportData
from kaohe.results.exports.notice import TABLE_WIDTHS_CM, Notice
from kaohe.results.trails import department_trail


def _pdf(template: str, context: dict[str, object]) -> bytes:
    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def notice_pdf(notice: Notice) -> bytes:
    """The notice as PDF, in the GB/T 9704 red-header layout (gongwen.css), its fonts embedded."""
    context = {
        "notice": notice,
        "widths": TABLE_WIDTHS_CM,
        "css": gongwen.css(),
        "header_pt": gongwen.header_pt(notice.header),
        "date_start": gongwen.date_start(notice.issuer) * gongwen.CHAR_PT,
    }
    return _pdf("results/pdf/notice.html", context)


def score_sheet_pdf(data: ExportData, code: str, profile_png: bytes) -> bytes:
    """One department's figures on one page, with its category profile chart."""
    return _pdf("results/pdf/sheet.html", _sheet_context(data, code, profile_png))


def score_sheets_pdf(data: ExportData, profile_pngs: dict[str, bytes]) -> bytes:
    """Every department's score sheet in one file, in rank order, each page as printed alone."""
    pages = []
    documents = []
    for d in data.results.departments:
        html = render_to_string(
            "results/pdf/sheet.html", _sheet_context(data, d.code, profile_pngs[d.code])
        )
        document = HTML(string=html).render()
        documents.append(document)
        pages.extend(document.pages)
    pdf: bytes = documents[0].copy(pages).write_pdf()
    return pdf


def _sheet_context(data: ExportData, code: str, profile_png: bytes) -> dict[str, object]:
    d = data.results.get(code)
    trail = department_trail(d, data.bundle, data.honors[code])
    return {
        "data": data,
        "trail": trail,
        "type": DepartmentType(d.type).label,
        "honors": honor_names(data.honors[code]) or _("none"),
        "vetoed": d.vetoed,
        "count": len(data.results.departments),
        "chart": "data:image/png;base64," + base64.b64encode(profile_png).decode("ascii"),
    }
