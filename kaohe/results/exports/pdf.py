"""PDF exports (WeasyPrint): the results notice and a one-page score sheet per department."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML

from kaohe.constants import DepartmentType, honor_names
from kaohe.results.exports.data import ExportData
from kaohe.results.exports.notice import Notice
from kaohe.results.trails import department_trail


def _pdf(template: str, context: dict[str, object]) -> bytes:
    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def notice_pdf(notice: Notice) -> bytes:
    """The notice as PDF, in the red-header layout."""
    return _pdf("results/pdf/notice.html", {"notice": notice})


def score_sheet_pdf(data: ExportData, code: str, profile_png: bytes) -> bytes:
    """One department's figures on one page, with its category profile chart."""
    d = data.results.get(code)
    trail = department_trail(d, data.bundle, data.honors[code])
    return _pdf(
        "results/pdf/sheet.html",
        {
            "data": data,
            "trail": trail,
            "type": DepartmentType(d.type).label,
            "honors": honor_names(data.honors[code]) or _("none"),
            "vetoed": d.vetoed,
            "count": len(data.results.departments),
            "chart": "data:image/png;base64," + base64.b64encode(profile_png).decode("ascii"),
        },
    )
