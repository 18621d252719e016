"""Reads of the year's targets: what is missing after its deadline (the hook the circular and
the reminders call), what is unmet at year end, the compiled table, a target's history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kaohe.targets.models import (
    HalfYearReport,
    ReportPeriod,
    ReportStatus,
    SupervisionPeriod,
    SupervisionReport,
    Target,
    TargetStatus,
    TargetVersion,
)
from kaohe.years.deadlines import step_deadline, year_deadlines
from kaohe.years.models import Step, Year

# Unmet at year end: a year-end report that says it is behind or not started (seed §五.1:
# 完成不好或未完成), or no year-end report at all.
UNMET = (ReportStatus.BEHIND, ReportStatus.NOT_STARTED)


# Which step of the year each report belongs to, for its deadline.
REPORT_STEPS = {ReportPeriod.H1: Step.H1_REPORTS, ReportPeriod.YEAR: Step.YEAR_REPORTS}


def report_deadline(year: Year, period: str) -> datetime.date:
    """When a target's report is due: its step's deadline in the year (years.deadlines: set by
    the office, else 15 July for the half-year's, 10 January of the next year for the year end's)."""
    return step_deadline(year, REPORT_STEPS[ReportPeriod(period)])


def approved_targets(year: Year) -> QuerySet[Target]:
    """The targets of which a version was approved: reports are due on them."""
    return (
        Target.objects.filter(year=year, versions__isnull=False)
        .distinct()
        .select_related("department", "year")
        .order_by("department__code", "number")
    )


@dataclass(frozen=True)
class MissingReport:
    """A report due on a target and not made by its deadline."""

    target: Target
    key: str  # "H1", "year" or "sup:2016-03": what a proposal is unique by
    period_label: str
    deadline: datetime.date
    entry_period: str  # the ledger period the deduction falls in

    def description(self) -> str:
        """The proposed entry's description: target and period named."""
        return _("%(period)s missing for target %(number)s (%(content)s), due %(deadline)s.") % {
            "period": self.period_label,
            "number": self.target.number,
            "content": self.target.content[:80],
            "deadline": self.deadline.isoformat(),
        }


def missing_reports(year: Year, asof: datetime.date) -> list[MissingReport]:
    """Every half-year, year-end and supervision-system report due by `asof` and not made, per
    department and target (for proposals, the circular, reminders)."""
    targets = list(approved_targets(year))
    made = set(HalfYearReport.objects.filter(target__in=targets).values_list("target_id", "period"))
    online = set(
        SupervisionReport.objects.filter(target__in=targets).values_list("target_id", "period_id")
    )
    periods = [p for p in SupervisionPeriod.objects.filter(year=year) if p.deadline < asof]
    deadlines = year_deadlines(year)
    out = []
    for target in targets:
        for period in ReportPeriod:
            deadline = deadlines[REPORT_STEPS[period]]
            if deadline < asof and (target.pk, period.value) not in made:
                entry_period = "H1" if period == ReportPeriod.H1 else "H2"
                out.append(
                    MissingReport(target, period.value, str(period.label), deadline, entry_period)
                )
        if target.in_supervision:
            for p in periods:
                if (target.pk, p.pk) not in online:
                    label = _("Supervision-system report %(period)s") % {"period": p.key}
                    half = "H1" if p.deadline.month <= 6 else "H2"
                    out.append(MissingReport(target, f"sup:{p.key}", label, p.deadline, half))
    return out


def missing_by_department(year: Year, asof: datetime.date) -> dict[str, list[MissingReport]]:
    """The missing reports grouped by department code."""
    grouped: dict[str, list[MissingReport]] = {}
    for m in missing_reports(year, asof):
        grouped.setdefault(m.target.department.code, []).append(m)
    return grouped


@dataclass(frozen=True)
class UnmetTarget:
    """A target not done, or done poorly, at year end."""

    target: Target
    report: HalfYearReport | None

    def description(self) -> str:
        """The proposed entry's description: the target attached."""
        status = self.report.get_status_display() if self.report else _("no year-end report")
        return _("Target %(number)s (%(content)s) not met at year end: %(status)s.") % {
            "number": self.target.number,
            "content": self.target.content[:80],
            "status": status,
        }


def unmet_targets(year: Year, asof: datetime.date) -> list[UnmetTarget]:
    """Once the year-end report is due, the targets whose report says behind or not started,
    or who have none."""
    if report_deadline(year, ReportPeriod.YEAR) >= asof:
        return []
    reports = {
        r.target_id: r
        for r in HalfYearReport.objects.filter(target__year=year, period=ReportPeriod.YEAR)
    }
    out = []
    for target in approved_targets(year):
        report = reports.get(target.pk)
        if report is None or report.status in UNMET:
            out.append(UnmetTarget(target, report))
    return out


def in_force(target: Target) -> TargetVersion | None:
    """The target's approved version in force (the latest), or None."""
    return target.versions.order_by("-revision").first()


def compiled_rows(targets: QuerySet[Target]) -> list[list[Any]]:
    """The compiled table's rows (考核办汇总表): one per target."""
    rows = []
    for t in targets.select_related("department").order_by("department__code", "number"):
        rows.append(
            [
                t.department.name,
                t.number,
                t.content,
                t.measure,
                t.due,
                t.get_source_display(),
                _("yes") if t.in_supervision else _("no"),
                t.responsible,
                t.get_status_display(),
            ]
        )
    return rows


def compiled_columns() -> list[tuple[str, int]]:
    """The compiled table's headers with their widths."""
    return [
        (_("Department"), 16),
        (_("No."), 6),
        (_("Target text"), 40),
        (_("Measure of completion"), 30),
        (_("Due by"), 12),
        (_("Source"), 16),
        (_("In the supervision system"), 10),
        (_("Responsible person"), 10),
        (_("Status"), 14),
    ]


def status_counts(targets: QuerySet[Target]) -> dict[str, int]:
    """How many targets are in each state."""
    counts = dict.fromkeys(TargetStatus.values, 0)
    for status in targets.values_list("status", flat=True):
        counts[status] += 1
    return counts
