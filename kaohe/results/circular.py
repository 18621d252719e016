"""The half-year supervision circular (督查通报, seed §七, issue 11.3): its content computed from
the targets and the engine's live computation, its number checked, and its blocks as every
renderer (page, Word, PDF) lays them out.

The content is a JSON document: a draft computes it afresh on every view, publication stores
it as printed. The provisional ranking is the engine's (results.selectors.live_year, what every
page shows before publication): nothing here ranks or scores.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from kaohe.engine import DepartmentResult
from kaohe.engine.numbers import fmt2
from kaohe.results.exports.data import chinese_date
from kaohe.results.exports.notice import NUMERALS, full_width
from kaohe.results.models import CircularHalf
from kaohe.results.selectors import live_year
from kaohe.targets.models import HalfYearReport, ReportPeriod, ReportStatus
from kaohe.targets.selectors import approved_targets, missing_by_department
from kaohe.years.models import Year

CONTENT_FORMAT = "kaohe-circular/1"

# The ledger periods a half-year's circular counts: the first half's entries in July, every
# confirmed entry of the year at its end (year-long entries are known only then).
PERIODS = {CircularHalf.H1: frozenset({"H1"}), CircularHalf.H2: frozenset({"H1", "H2", "year"})}

# 发文字号 (GB/T 9704 §7.2.4): the organ's short name, the year in 六角括号 〔〕, the number
# without leading zeros and without 第, then 号: 常经信考〔2017〕3号.
NUMBER = re.compile(r"(?P<organ>[\u4e00-\u9fff]{2,12})〔(?P<year>\d{4})〕(?P<n>[1-9]\d{0,3})号")


def half_end(year: int, half: str) -> datetime.date:
    """The last day of the half-year."""
    return datetime.date(year, 6, 30) if half == CircularHalf.H1 else datetime.date(year, 12, 31)


def number_problems(number: str, date: datetime.date) -> list[str]:
    """Why a 发文字号 is not one (empty when it is): 常经信考〔2017〕3号, of the year of issue."""
    found = NUMBER.fullmatch(number.strip())
    if found is None:
        return [
            _(
                "Write the document number as 常经信考〔2017〕3号: the organ's short name, the "
                "year in 〔〕, the number without leading zeros, then 号."
            )
        ]
    if int(found["year"]) != date.year:
        return [
            _("The year in the document number (%(given)s) is not the year of issue (%(year)s).")
            % {"given": found["year"], "year": date.year}
        ]
    return []


def circular_title(year: int, half: str) -> str:
    """关于2017年上半年机关内设机构考核督查情况的通报."""
    return _(
        "Circular on the supervision of the %(year)s %(half)s assessment of the organ's "
        "internal departments"
    ) % {"year": year, "half": CircularHalf(half).label}


def default_preface(year: int, half: str) -> str:
    """The opening a new draft starts with, for the office to edit."""
    return _(
        "In accordance with the assessment scheme, the assessment office has reviewed the "
        "progress of every department's annual targets, their half-year and supervision-system "
        "reports, and the deductions and bonuses confirmed in the ledger for the %(year)s "
        "%(half)s. The situation is circulated as follows:"
    ) % {"year": year, "half": CircularHalf(half).label}


def default_conclusion() -> str:
    """The closing a new draft starts with, for the office to edit."""
    return _(
        "Every department is to study this circular, push its targets forward on schedule, "
        "report on time in the supervision system and make good what is missing. The ranking "
        "above is provisional; the final ranking is the year-end assessment's."
    )


# --- the content, computed ------------------------------------------------------------------


def _status(reports: dict[tuple[int, str], HalfYearReport], target_id: int, half: str) -> str:
    """The target's latest report status in the half-year ("" when none was made)."""
    periods = [ReportPeriod.H1] if half == CircularHalf.H1 else [ReportPeriod.YEAR, ReportPeriod.H1]
    for period in periods:
        report = reports.get((target_id, period))
        if report is not None:
            return str(report.status)
    return ""


def _targets(year: Year, half: str) -> dict[str, list[dict[str, Any]]]:
    targets = list(approved_targets(year))
    reports = {
        (r.target_id, r.period): r for r in HalfYearReport.objects.filter(target__in=targets)
    }
    out: dict[str, list[dict[str, Any]]] = {}
    for t in targets:
        item = {"number": t.number, "content": t.content, "status": _status(reports, t.pk, half)}
        out.setdefault(t.department.code, []).append(item)
    return out


def _categories(d: DepartmentResult, periods: frozenset[str]) -> dict[str, dict[str, str]]:
    """The department's deductions and bonuses that counted, per category, in these periods."""
    out = {}
    for trail in d.category_trails:
        sums = {False: Fraction(0), True: Fraction(0)}
        for e in trail.entries:
            if e.counted and e.period in periods:
                sums[e.is_bonus] += e.amount
        out[trail.code] = {"deductions": fmt2(sums[False]), "bonuses": fmt2(sums[True])}
    return out


def circular_content(year: Year, half: str, asof: datetime.date) -> dict[str, Any]:
    """The circular's content as of `asof` (its date of issue): per department its targets with
    their progress, the reports missing by then, its deductions and bonuses so far by category;
    and the engine's live ranking, provisional (暂定)."""
    live = live_year(year)
    scheme = live.bundle.scheme
    targets = _targets(year, half)
    missing = missing_by_department(year, asof)
    periods = PERIODS[CircularHalf(half)]
    departments = []
    for b in live.bundle.departments:
        d = live.results.get(b.code)
        departments.append(
            {
                "code": b.code,
                "name": b.name,
                "targets": targets.get(b.code, []),
                "missing": [
                    {
                        "target": m.target.number,
                        "period": m.period_label,
                        "deadline": m.deadline.isoformat(),
                    }
                    for m in missing.get(b.code, [])
                ],
                "categories": _categories(d, periods),
            }
        )
    return {
        "format": CONTENT_FORMAT,
        "year": year.year,
        "half": half,
        "asof": asof.isoformat(),
        "organisation": str(scheme.document.get("organisation", "")),
        "digest": live.computed.digest,
        "categories": [{"code": c.code, "name": c.name} for c in scheme.categories],
        "departments": departments,
        "ranking": [
            {
                "rank": d.rank,
                "code": d.code,
                "name": d.name,
                "content": fmt2(d.content),
                "evaluation": fmt2(d.evaluation_total),
                "adjustment": fmt2(d.adjustment),
                "total": fmt2(d.total),
            }
            for d in live.results.departments
        ],
    }


# --- the blocks every renderer lays out ----------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One piece of the body: a paragraph, a heading (一级 黑体, 二级 楷体) or a table."""

    kind: str  # "p", "h1", "h2", "table"
    text: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Document:
    """A circular as printed: 版头, 发文字号, title, addressee, body, 落款 and date."""

    header: str
    number: str
    title: str
    addressee: str
    blocks: tuple[Block, ...]
    issuer: str
    date: str
    provisional: bool  # a draft's preview: not yet published


def issuer_of(organisation: str) -> str:
    """The assessment office, as it signs: 常州市经济和信息化委员会考核办公室 (seed §七: the
    leading group's 考核办公室), short enough for one line of the 落款."""
    return _("Assessment office of %(organisation)s") % {"organisation": organisation}


def _paragraphs(text: str) -> list[Block]:
    return [Block("p", full_width(line.strip())) for line in text.splitlines() if line.strip()]


def ranking_header() -> tuple[str, ...]:
    """The provisional ranking's columns."""
    return (
        _("rank (provisional)"),
        _("department"),
        _("content"),
        _("evaluation"),
        _("adjustment"),
        _("total"),
    )


def _counts(targets: list[dict[str, Any]]) -> str:
    labels = {s.value: str(s.label) for s in ReportStatus}
    counted = {s: sum(1 for t in targets if t["status"] == s) for s in [*labels, ""]}
    parts = [
        _("%(label)s %(n)s") % {"label": labels[s], "n": counted[s]} for s in labels if counted[s]
    ]
    if counted[""]:
        parts.append(_("not reported %(n)s") % {"n": counted[""]})
    return _("%(n)s annual targets: %(parts)s.") % {"n": len(targets), "parts": "，".join(parts)}


def numeral(n: int) -> str:
    """1 to 99 in Chinese numerals, as headings count: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def _department(d: dict[str, Any], names: dict[str, str], i: int) -> list[Block]:
    blocks = [Block("h2", f"（{numeral(i + 1)}）{full_width(d['name'])}")]
    labels = {s.value: str(s.label) for s in ReportStatus}
    if d["targets"]:
        blocks.append(Block("p", _counts(d["targets"])))
        for t in d["targets"]:
            status = labels.get(t["status"], _("not reported"))
            blocks.append(Block("p", f"{t['number']}.{full_width(t['content'])}（{status}）"))
    else:
        blocks.append(Block("p", _("No approved annual targets.")))
    if d["missing"]:
        missed = "、".join(
            _("target %(n)s %(period)s") % {"n": m["target"], "period": m["period"]}
            for m in d["missing"]
        )
        blocks.append(
            Block(
                "p",
                _("Reports missing (%(n)s): %(list)s.") % {"n": len(d["missing"]), "list": missed},
            )
        )
    else:
        blocks.append(Block("p", _("No report missing.")))
    blocks.append(Block("p", _figures(d, names)))
    return blocks


def _figures(d: dict[str, Any], names: dict[str, str]) -> str:
    deductions = [
        _("%(category)s %(points)s points") % {"category": names[c], "points": v["deductions"]}
        for c, v in d["categories"].items()
        if v["deductions"] != "0.00"
    ]
    bonuses = [
        _("%(category)s %(points)s points") % {"category": names[c], "points": v["bonuses"]}
        for c, v in d["categories"].items()
        if v["bonuses"] != "0.00"
    ]
    if not deductions and not bonuses:
        return _("No confirmed deduction or bonus so far.")
    none = _("none")
    return _("Confirmed so far: deductions %(deductions)s; bonuses %(bonuses)s.") % {
        "deductions": "、".join(deductions) or none,
        "bonuses": "、".join(bonuses) or none,
    }


def circular_document(
    *,
    number: str,
    title: str,
    date: datetime.date,
    preface: str,
    conclusion: str,
    content: dict[str, Any],
    provisional: bool,
) -> Document:
    """The circular laid out as blocks, from its words and its content (computed or stored)."""
    names = {c["code"]: c["name"] for c in content["categories"]}
    blocks = _paragraphs(preface)
    headings = [_("Progress of the departments"), _("Provisional ranking"), _("Next steps")]
    h1 = [Block("h1", f"{NUMERALS[i]}、{text}") for i, text in enumerate(headings)]
    blocks.append(h1[0])
    for i, d in enumerate(content["departments"]):
        blocks.extend(_department(d, names, i))
    blocks.append(h1[1])
    blocks.append(
        Block(
            "p",
            _(
                "The ranking below is provisional (暂定), computed from the entries confirmed and "
                "the evaluation rounds closed by %(date)s; the year-end assessment decides."
            )
            % {"date": chinese_date(datetime.date.fromisoformat(content["asof"]))},
        )
    )
    rows = tuple(
        (
            str(r["rank"]),
            full_width(r["name"]),
            r["content"],
            r["evaluation"],
            r["adjustment"],
            r["total"],
        )
        for r in content["ranking"]
    )
    blocks.append(Block("table", header=ranking_header(), rows=rows))
    blocks.append(h1[2])
    blocks.extend(_paragraphs(conclusion))
    issuer = issuer_of(content["organisation"])
    return Document(
        header=_("%(issuer)s document") % {"issuer": issuer},
        number=number,
        title=title,
        addressee=_(
            "To the Radio Administration and all departments (sections) of the commission:"
        ),
        blocks=tuple(blocks),
        issuer=issuer,
        date=chinese_date(date),
        provisional=provisional,
    )
