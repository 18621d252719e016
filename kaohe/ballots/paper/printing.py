"""The printable paper ballot forms: one A4 page per code, every element where the layout says.

Like the slips (kaohe/ballots/slips.py), the clear codes reach this module only while the PDF is
made in the issuing response; the PDF is stored nowhere (docs/ballots.md). The form prints its short
code for the office's clerks to type; the full code is in the QR code only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.views.decorators.debug import sensitive_variables

from kaohe.ballots.actions import IssuedCode
from kaohe.ballots.models import Round
from kaohe.ballots.paper.layout import CODE_Y, PAGE_H, PAGE_W, Layout, Rect, form_layout
from kaohe.ballots.slips import qr_svg, round_title
from kaohe.core.codes import SHORT_LENGTH, short_code_display

SPECIMEN_SHORT = "U" * SHORT_LENGTH  # U is no code character: a specimen's code is never valid


def _short(code: IssuedCode, specimen: bool) -> str:
    """The short code printed on a form; a real form always has one (issued with `paper`)."""
    if specimen:
        return short_code_display(SPECIMEN_SHORT)
    assert code.short, "paper forms are printed only from codes issued as paper forms"
    return short_code_display(code.short)


def round_layout(round: Round) -> Layout:
    """The layout of the round's forms, from its frozen departments and grade scale."""
    return form_layout([d["code"] for d in round.departments], [g["code"] for g in round.grades])


def _place(rect: Rect) -> str:
    """An absolute position in mm for the PDF template (PDF templates may carry styles)."""
    return f"left:{rect.x:.3f}mm;top:{rect.y:.3f}mm;width:{rect.w:.3f}mm;height:{rect.h:.3f}mm"


def _page_elements(round: Round, layout: Layout) -> dict[str, Any]:
    """What every form of the round shares: markers, grade columns, department rows and boxes."""
    names = {d["code"]: d["name"] for d in round.departments}
    grade_names = {g["code"]: g["name"] for g in round.grades}
    return {
        "markers": [_place(m) for m in layout.markers],
        "qr": _place(layout.qr),
        "code_place": _place(Rect(layout.qr.x - 6, CODE_Y, layout.qr.w + 12, 9)),
        "columns": [(grade_names[g], _place(r)) for g, r in layout.columns],
        "rows": [
            {
                "name": names[row.department],
                "place": _place(row.name),
                "line": row.name.y + row.name.h,
                "boxes": [_place(b.rect) for b in row.boxes],
                "font": min(10.5, layout.pitch * 1.5),
            }
            for row in layout.rows
        ],
    }


@sensitive_variables()
def forms_pdf(
    round: Round, codes: Sequence[IssuedCode], vote_url: str, *, specimen: bool = False
) -> bytes:
    """The A4 PDF of the forms: one page per code, exact geometry, no page margins."""
    from weasyprint import HTML  # heavy import, only when forms are printed

    layout = round_layout(round)
    forms = [
        {
            "number": c.number,
            "group": c.group,
            "short": _short(c, specimen),
            "qr": qr_svg(f"{vote_url}#{c.code}"),
        }
        for c in codes
    ]
    html = render_to_string(
        "ballots/paper_form.html",
        {
            "title": round_title(round),
            "forms": forms,
            "page_w": PAGE_W,
            "page_h": PAGE_H,
            "specimen": specimen,
            "grade_keys": [(i + 1, g["name"]) for i, g in enumerate(round.grades)],
            **_page_elements(round, layout),
        },
    )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf
