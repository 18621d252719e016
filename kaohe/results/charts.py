"""Charts of a published version: rendered once with matplotlib (Agg), kept, reused everywhere.

The figures come from the version's stored results (exact decimal strings); they become floats
only to be drawn. Labels print the published strings, never a recomputed float.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kaohe.constants import honor_name
from kaohe.core.numbers import to_fraction
from kaohe.engine.numbers import fmt2
from kaohe.engine.scheme import Scheme
from kaohe.results.models import Publication, PublishedChart, PublishedVersionImmutable
from kaohe.results.selectors import PublicationMismatch, publication_honors, publication_results

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")
FONT_FAMILY = "Noto Sans CJK SC"
SUMMARY_CHARTS = ("ranking", "distribution", "rank_change")
COLORS = {
    "advanced": "#b3261e",
    "praised": "#e8912d",
    "progress": "#2e8b57",
    "bottom": "#8a8f98",
    None: "#4a6fa5",
}
_font_lock = threading.Lock()
_font_ready = False


def _register_font() -> None:
    """Teach matplotlib's font manager the Noto CJK collection (SC face) once per process."""
    global _font_ready
    with _font_lock:
        if _font_ready:
            return
        for name in FONT_FILES:
            path = FONT_DIR / name
            if path.exists():
                font_manager.fontManager.addfont(str(path))
        _font_ready = True


def _figure(width: float, height: float) -> Figure:
    _register_font()
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()


# Typed loosely: matplotlib's stubs list every rc key as a literal.
RC: Any = {"font.family": FONT_FAMILY, "axes.unicode_minus": False, "font.size": 9}


@dataclass(frozen=True)
class ChartRow:
    """One department as the charts need it: exact figures, drawn as floats, printed by fmt2."""

    code: str
    name: str
    rank: int
    total: Fraction
    honors: tuple[str, ...]
    vetoed: bool
    previous_rank: int | None
    categories: Mapping[str, Fraction]


def chart_rows(publication: Publication) -> list[ChartRow]:
    """The version's departments in ranking order, recomputed exactly from its stored inputs
    (or, should the engine no longer accept them, from the published two-place figures)."""
    try:
        results = publication_results(publication)
    except PublicationMismatch:
        return _stored_rows(publication)
    honors = publication_honors(publication)
    return [
        ChartRow(
            d.code,
            d.name,
            d.rank,
            d.total,
            tuple(honors.get(d.code, [])),
            d.vetoed,
            d.previous_rank,
            d.categories,
        )
        for d in results.departments
    ]


def _stored_rows(publication: Publication) -> list[ChartRow]:
    names = {d["code"]: d["name"] for d in publication.bundle["departments"]}
    previous = publication.bundle.get("previous_ranks", {})
    honors = publication_honors(publication)
    return [
        ChartRow(
            d["code"],
            names[d["code"]],
            d["rank"],
            to_fraction(d["total"]),
            tuple(honors.get(d["code"], [])),
            d["vetoed"],
            previous.get(d["code"]),
            {c: to_fraction(v) for c, v in d["categories"].items()},
        )
        for d in publication.results["departments"]
    ]


def _tier(honors: Sequence[str]) -> str | None:
    return next((h for h in ("advanced", "praised", "progress", "bottom") if h in honors), None)


def ranking_chart(rows: Sequence[ChartRow], title: str) -> bytes:
    """Totals in ranking order, bars coloured by honor, the recommended starred, vetoes hatched."""
    import matplotlib

    with matplotlib.rc_context(RC):
        fig = _figure(8, 0.32 * len(rows) + 1.4)
        ax = fig.add_subplot()
        totals = [float(r.total) for r in rows]
        labels = [f"{r.rank}. {'★' if 'recommended' in r.honors else ''}{r.name}" for r in rows]
        bars = ax.barh(
            range(len(rows)),
            totals,
            color=[COLORS[_tier(r.honors)] for r in rows],
            hatch=["//" if r.vetoed else "" for r in rows],
            edgecolor="white",
        )
        for bar, r in zip(bars, rows, strict=True):
            ax.text(
                bar.get_width(),
                bar.get_y() + bar.get_height() / 2,
                f" {fmt2(r.total)}",
                va="center",
                fontsize=8,
            )
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        low = min(totals, default=0)
        ax.set_xlim(max(0, low - 10) if low > 0 else low - 5, max(totals, default=100) + 8)
        ax.set_xlabel(_("total"))
        ax.set_title(title)
        _legend(ax, vetoed=any(r.vetoed for r in rows))
        return _png(fig)


def _legend(ax: Any, *, vetoed: bool) -> None:
    from matplotlib.patches import Patch

    handles = [
        Patch(color=COLORS[h], label=honor_name(h))
        for h in ("advanced", "praised", "progress", "bottom")
    ]
    handles.append(Patch(color=COLORS[None], label=_("no honor")))
    if vetoed:
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label=_("vetoed")))
    ax.legend(
        handles=handles, loc="lower right", fontsize=8, title=_("★ recommended"), title_fontsize=8
    )


def distribution_chart(rows: Sequence[ChartRow], title: str) -> bytes:
    """How the totals spread: a histogram in one-point bins, each department marked below."""
    import matplotlib

    with matplotlib.rc_context(RC):
        fig = _figure(8, 3.6)
        ax = fig.add_subplot()
        totals = [float(r.total) for r in rows]
        if totals:
            low, high = int(min(totals)) - 1, int(max(totals)) + 2
            ax.hist(totals, bins=range(low, high + 1), color=COLORS[None], edgecolor="white")
            ax.plot(totals, [-0.15] * len(totals), "|", color="#1f2933", markersize=12)
            mean = sum((r.total for r in rows), Fraction(0)) / len(rows)
            ax.axvline(float(mean), color=COLORS["advanced"], linestyle="--", linewidth=1)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.text(
                float(mean),
                ax.get_ylim()[1] * 0.95,
                " " + _("average %(v)s") % {"v": fmt2(mean)},
                color=COLORS["advanced"],
                fontsize=8,
                va="top",
            )
        ax.set_xlabel(_("total"))
        ax.set_ylabel(_("departments"))
        ax.set_title(title)
        return _png(fig)


# Over 40 lines by nature: one chart's matplotlib calls, in drawing order.
def rank_change_chart(rows: Sequence[ChartRow], title: str) -> bytes:
    """Places gained or lost since last year, in this year's ranking order."""
    import matplotlib

    ranked = [r for r in rows if r.previous_rank is not None]
    with matplotlib.rc_context(RC):
        fig = _figure(8, 0.32 * max(len(ranked), 3) + 1.4)
        ax = fig.add_subplot()
        if not ranked:
            ax.text(
                0.5,
                0.5,
                _("No ranks from last year."),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
        else:
            rises = [(r.previous_rank or 0) - r.rank for r in ranked]
            colors = [
                COLORS["progress"] if x > 0 else COLORS["advanced"] if x < 0 else COLORS["bottom"]
                for x in rises
            ]
            ax.barh(range(len(ranked)), rises, color=colors)
            for i, (r, x) in enumerate(zip(ranked, rises, strict=True)):
                text = _("%(prev)s → %(now)s") % {"prev": r.previous_rank, "now": r.rank}
                ax.text(
                    x,
                    i,
                    f" {text} " if x >= 0 else f" {text} ",
                    va="center",
                    ha="left" if x >= 0 else "right",
                    fontsize=8,
                )
            ax.set_yticks(
                range(len(ranked)),
                [("★" if "progress" in r.honors else "") + r.name for r in ranked],
            )
            ax.invert_yaxis()
            ax.axvline(0, color="#1f2933", linewidth=0.8)
            span = max(abs(x) for x in rises) + 4
            ax.set_xlim(-span, span)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(_("places gained since last year (★ most improved)"))
        ax.set_title(title)
        return _png(fig)


def profile_chart(row: ChartRow, rows: Sequence[ChartRow], scheme: Scheme, title: str) -> bytes:
    """A department's category scores beside the commission's average and the full points."""
    import matplotlib

    codes = [c.code for c in scheme.categories]
    mine = [float(row.categories[c]) for c in codes]
    average = [float(sum((r.categories[c] for r in rows), Fraction(0)) / len(rows)) for c in codes]
    with matplotlib.rc_context(RC):
        fig = _figure(6.4, 3.6)
        ax = fig.add_subplot()
        y = range(len(codes))
        ax.barh([i - 0.2 for i in y], mine, height=0.4, color=COLORS["advanced"], label=row.name)
        ax.barh(
            [i + 0.2 for i in y],
            average,
            height=0.4,
            color=COLORS[None],
            label=_("commission average"),
        )
        ax.scatter(
            [float(c.points) for c in scheme.categories],
            list(y),
            marker="|",
            s=300,
            color="#1f2933",
            label=_("full points"),
            zorder=3,
        )
        for i, c in enumerate(codes):
            ax.text(mine[i], i - 0.2, f" {fmt2(row.categories[c])}", va="center", fontsize=7)
        ax.set_yticks(list(y), [c.name for c in scheme.categories])
        ax.invert_yaxis()
        ax.set_xlim(0, max([*mine, *average, *(float(c.points) for c in scheme.categories)]) * 1.18)
        ax.legend(loc="lower right", fontsize=7)
        ax.set_title(title)
        return _png(fig)


def render_chart(publication: Publication, name: str, scheme: Scheme) -> bytes:
    """Draw one of the version's charts; KeyError for an unknown name."""
    rows = chart_rows(publication)
    year = publication.year.year
    if name == "ranking":
        return ranking_chart(rows, _("%(year)s ranking and honors") % {"year": year})
    if name == "distribution":
        return distribution_chart(rows, _("%(year)s distribution of totals") % {"year": year})
    if name == "rank_change":
        return rank_change_chart(rows, _("%(year)s rank change against last year") % {"year": year})
    if name.startswith("profile-"):
        row = next((r for r in rows if r.code == name.removeprefix("profile-")), None)
        if row is not None:
            return profile_chart(
                row, rows, scheme, _("%(name)s: category scores") % {"name": row.name}
            )
    raise KeyError(name)


def chart_names(publication: Publication) -> list[str]:
    """Every chart a version has."""
    return [*SUMMARY_CHARTS, *(f"profile-{d['code']}" for d in publication.results["departments"])]


def publication_chart(publication: Publication, name: str, scheme: Scheme) -> bytes:
    """The stored chart, rendered and kept on first use; KeyError for an unknown name."""
    from kaohe.results.actions import chart_store

    stored = PublishedChart.objects.filter(publication=publication, name=name).first()
    if stored is not None:
        return bytes(stored.png)
    png = render_chart(publication, name, scheme)
    try:
        chart_store(publication=publication, name=name, png=png)
    except PublishedVersionImmutable:  # stored meanwhile by another request: serve that one
        stored = PublishedChart.objects.get(publication=publication, name=name)
        return bytes(stored.png)
    return png
