"""The printable A4 sheet of ballot slips: a QR code and the typed form of each code, with a stub.

The clear codes reach this module only while the PDF is made; the PDF goes back to the office in the
issuing response and is stored nowhere (docs/ballots.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import segno
from django.template.loader import render_to_string
from django.views.decorators.debug import sensitive_variables

from kaohe.ballots.actions import IssuedCode
from kaohe.ballots.models import Round
from kaohe.core.codes import LENGTH, code_display

SLIPS_PER_PAGE = 5
# Looks like a code but can never be one: codes never contain U.
SPECIMEN_CODE = "U" * LENGTH


def round_title(round: Round) -> str:
    """The heading printed on every slip."""
    return round.title or str(round)


def qr_svg(url: str) -> str:
    """The QR code of a voting link as an SVG data URI (segno; medium error correction)."""
    return segno.make(url, error="m").svg_data_uri(scale=1, border=0, dark="#000")


@sensitive_variables()
def slips_pdf(
    round: Round, codes: Sequence[IssuedCode], vote_url: str, *, specimen: bool = False
) -> bytes:
    """The A4 PDF of the slips: cut lines, the round's title, a numbered stub to keep."""
    from weasyprint import HTML  # heavy import, only when a sheet is printed

    slips: list[dict[str, Any]] = [
        {
            "number": c.number,
            "group": c.group,
            "code": code_display(c.code),
            "qr": qr_svg(f"{vote_url}#{c.code}"),
        }
        for c in codes
    ]
    pages = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    html = render_to_string(
        "ballots/slips.html",
        {
            "title": round_title(round),
            "round": round,
            "pages": pages,
            "vote_url": vote_url,
            "specimen": specimen,
        },
    )
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf


def specimen_codes(round: Round) -> list[IssuedCode]:
    """One page of sample slips, numbered 0, to try the printer and the cutting before issuing."""
    groups = [g.name for g in round.groups.order_by("order", "id")] or ["-"]
    return [IssuedCode(0, groups[i % len(groups)], SPECIMEN_CODE) for i in range(SLIPS_PER_PAGE)]
