"""The wording of the results notice (考核结果通报), shared by its Word and PDF renderers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kaohe.constants import honor_names
from kaohe.engine.numbers import fmt2
from kaohe.results.exports.data import ExportData, chinese_date, figure_headers, honored

NUMERALS = "一二三四五六七八九十"

# CJK characters and punctuation, full-width forms, Chinese quotes (“ ” are U+201C and U+201D).
CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d]"
_PAIR = re.compile(r"\(([^()]*)\)")
_MARK = re.compile(rf"(?<={CJK})[,:;]|[,:;](?={CJK})")
_FULL = {",": "，", ":": "：", ";": "；"}


# The appendix table's column widths (cm) on the 15.6 cm of an A4 page inside the GB/T 9704
# margins, the same in Word and PDF: every header on one line at 10.5 pt (名次, 党组加减分
# wrapped a character a line before), the department's name and the honors wrapping inside.
TABLE_WIDTHS_CM = (1.4, 3.6, 2.0, 2.0, 2.4, 1.7, 2.5)


@dataclass(frozen=True)
class Notice:
    """A red-header notice of the party group: header, title, body, sections, table, signature."""

    header: str
    number: str
    title: str
    addressee: str
    opening: str
    sections: tuple[tuple[str, str], ...]
    closing: str
    attachment_heading: str
    attachment_label: str
    attachment_title: str
    table_header: tuple[str, ...]
    table: tuple[tuple[str, ...], ...]
    issuer: str
    date: str
    footer: str


def issuer(data: ExportData) -> str:
    """The party group of the organisation: 中共常州市经济和信息化委员会党组."""
    return _("CPC Party Group of %(organisation)s") % {"organisation": data.organisation}


def full_width(text: str) -> str:
    """Entered text (a scheme's name, a meeting, a name) with the ASCII , : ; ( ) that touch a
    CJK character in their full-width forms, as the sentences around it are punctuated (GB/T 15834)."""

    def pair(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        touches = re.fullmatch(CJK, before) or re.fullmatch(CJK, after) or re.search(CJK, m[1])
        return f"（{m[1]}）" if touches else m[0]

    text = _PAIR.sub(pair, text)
    return _MARK.sub(lambda m: _FULL[m[0]], text)


def _names(names: list[str]) -> dict[str, str]:
    return {"names": "、".join(full_width(n) for n in names)}


# Over 40 lines by nature: a paragraph per honor and flag, in the order the notice lists them.
def _sections(data: ExportData) -> list[tuple[str, str]]:
    sections = []
    advanced, recommended = honored(data, "advanced"), honored(data, "recommended")
    if advanced:
        text = _("%(names)s are awarded the title of advanced department.") % _names(advanced)
        if recommended:
            text += _(
                "Of them, %(names)s are recommended to the city as excellent departments."
            ) % (_names(recommended))
        sections.append((_("Advanced departments"), text))
    praised = honored(data, "praised")
    if praised:
        sections.append((_("Praised"), _("%(names)s are praised.") % _names(praised)))
    progress = honored(data, "progress")
    if progress:
        sections.append(
            (
                _("Most improved"),
                _("%(names)s are praised for the largest rise in rank.") % _names(progress),
            )
        )
    bottom = honored(data, "bottom")
    if bottom:
        sections.append(
            (
                _("Last two places"),
                _(
                    "%(names)s ranked last; in principle their principal heads receive no honor this year."
                )
                % _names(bottom),
            )
        )
    vetoed = [d for d in data.results.departments if d.vetoed]
    if vetoed:
        reasons = data.scheme.veto_reasons
        named = [
            _("%(name)s (%(reason)s)")
            % {
                "name": d.name,
                "reason": full_width(
                    "、".join(sorted({reasons.get(v.reason, v.reason) for v in d.vetoes}))
                ),
            }
            for d in vetoed
        ]
        sections.append(
            (
                _("One-vote veto"),
                _("%(names)s: not eligible for honors this year.") % _names(named),
            )
        )
    return [(f"{NUMERALS[i]}、{heading}", text) for i, (heading, text) in enumerate(sections)]


# Over 40 lines by nature: the notice's paragraphs one after the other, as the document reads.
def notice_content(data: ExportData) -> Notice:
    """The notice of a version's results, worded as the party group issues it."""
    p = data.publication
    meeting = p.meeting
    opening = _(
        "In accordance with the %(scheme)s, the commission assessed its internal departments for "
        "%(year)s. Based on the responsible offices' assessment of the ledger, the democratic "
        "evaluation, the style evaluation and the leaders' evaluation, and after study by "
        "%(who)s, the results are announced as follows:"
    ) % {
        "scheme": f"《{full_width(data.scheme.name)}》",
        "year": data.year,
        "who": full_width(meeting) if meeting else _("the party group of the commission"),
    }
    table = tuple(
        (
            str(d.rank),
            full_width(d.name),
            fmt2(d.content),
            fmt2(d.evaluation_total),
            fmt2(d.adjustment),
            fmt2(d.total),
            honor_names([h for h in data.honors[d.code] if h != "bottom"]),
        )
        for d in data.results.departments
    )
    return Notice(
        header=_("%(issuer)s document") % {"issuer": issuer(data)},
        number=p.notice_number,
        title=_(
            "Notice on the results of the %(year)s annual assessment of the organ's internal departments"
        )
        % {"year": data.year},
        addressee=_(
            "To the Radio Administration and all departments (sections) of the commission:"
        ),
        opening=opening,
        sections=tuple(_sections(data)),
        closing=_(
            "We hope the honored departments will cherish their honor and do still better, and that "
            "every department will learn from the advanced ones, find its gaps and further raise "
            "the performance of its work."
        ),
        attachment_heading=_("Attachment"),
        attachment_label=_("Attachment: %(title)s")
        % {"title": _("Scores of the %(year)s assessment") % {"year": data.year}},
        attachment_title=_("Scores of the %(year)s assessment") % {"year": data.year},
        table_header=(_("rank"), _("department"), *figure_headers()),
        table=table,
        issuer=issuer(data),
        date=chinese_date(data.confirmed_on),
        footer=_("Version %(n)s · seal %(seal)s · SHA-256 of the inputs: %(digest)s")
        % {"n": data.number, "seal": data.seal, "digest": data.digest},
    )
