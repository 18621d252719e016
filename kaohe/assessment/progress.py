"""Who is done with each of the year's steps, who is late and by how many days (issue 11.4):
the deadlines of years.deadlines against the targets, reports and forms of the apps that hold
them, in a fixed number of queries. The deadlines page and `kaohe remind` read it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.org.models import Department
from kaohe.targets.models import (
    HalfYearReport,
    ReportPeriod,
    ReviewStep,
    SupervisionPeriod,
    SupervisionReport,
    Target,
    TargetReview,
    TargetStatus,
    TargetVersion,
)
from kaohe.years.deadlines import year_deadlines
from kaohe.years.models import OFFICE_STEPS, SelfAssessmentRevision, Step, Year

# A target still with its department: not yet submitted for the first time.
UNSUBMITTED = (TargetStatus.DRAFT, TargetStatus.RETURNED)
# The steps a department's report on its approved targets answers.
REPORT_STEPS = {Step.H1_REPORTS: ReportPeriod.H1, Step.YEAR_REPORTS: ReportPeriod.YEAR}


@dataclass(frozen=True)
class Progress:
    """One department (or the office) at one step: done on a day, or not yet."""

    department: Department | None  # None: the assessment office
    due: datetime.date
    asof: datetime.date
    done_on: datetime.date | None

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def days_late(self) -> int:
        """Days past the deadline: of the day it was done, else of today (0 if in time)."""
        day = self.done_on or self.asof
        return max((day - self.due).days, 0)

    @property
    def late(self) -> bool:
        return self.days_late > 0

    @property
    def state(self) -> str:
        """done, done_late, pending (before the deadline) or late, for the page's badge."""
        if self.done:
            return "done_late" if self.late else "done"
        return "late" if self.late else "pending"


@dataclass(frozen=True)
class StepProgress:
    """A step of the year with its deadline and each department's progress."""

    step: str  # a Step, or "sup:<period key>" for a supervision-system period
    label: str
    due: datetime.date
    office: bool  # the office's own step (its row is the office's)
    rows: list[Progress]

    @property
    def late_count(self) -> int:
        return sum(1 for r in self.rows if r.late and not r.done)

    @property
    def done_count(self) -> int:
        return sum(1 for r in self.rows if r.done)


def year_progress(
    year: Year,
    asof: datetime.date,
    *,
    department_ids: set[int] | None = None,
    office_steps: bool = True,
) -> list[StepProgress]:
    """Every step of the year in order of its deadline, each with the rows of the departments
    it is due from (those in `department_ids`, or all) and the office's own steps' row."""
    departments = [
        yd.department
        for yd in year.assessed.select_related("department").order_by("department__code")
        if department_ids is None or yd.department_id in department_ids
    ]
    deadlines = year_deadlines(year)
    targets = list(Target.objects.filter(year=year).values_list("id", "department_id", "status"))
    approved = _approved(year)
    steps = [
        _targets_step(year, deadlines[Step.TARGETS], asof, departments, targets),
        *[_report_step(s, deadlines[s], asof, departments, approved) for s in REPORT_STEPS],
        _self_assessment_step(year, deadlines[Step.SELF_ASSESSMENT], asof, departments),
        *_supervision_steps(year, asof, departments, approved),
    ]
    if office_steps:
        steps.append(_approval_step(year, deadlines[Step.TARGETS_APPROVAL], asof, targets))
    return sorted(steps, key=lambda s: (s.due, s.step))


@dataclass(frozen=True)
class _Approved:
    """The year's approved targets by department, with their reports' days."""

    by_department: dict[int, set[int]]
    supervised: dict[int, set[int]]  # those in the supervision system
    reports: dict[tuple[int, str], datetime.date]  # (target, period) → day submitted


def _approved(year: Year) -> _Approved:
    by_department: dict[int, set[int]] = defaultdict(set)
    supervised: dict[int, set[int]] = defaultdict(set)
    rows = Target.objects.filter(year=year, versions__isnull=False).distinct()
    for pk, department_id, in_supervision in rows.values_list(
        "id", "department_id", "in_supervision"
    ):
        by_department[department_id].add(pk)
        if in_supervision:
            supervised[department_id].add(pk)
    reports = {
        (t, p): timezone.localdate(at)
        for t, p, at in HalfYearReport.objects.filter(target__year=year).values_list(
            "target_id", "period", "submitted_at"
        )
    }
    return _Approved(by_department, supervised, reports)


def _targets_step(
    year: Year,
    due: datetime.date,
    asof: datetime.date,
    departments: list[Department],
    targets: list[tuple[int, int, str]],
) -> StepProgress:
    """Every department submits its targets: done once it has some and none is unsubmitted
    (a revision of an approved target does not count), on the day of its last submission."""
    pending = {d for _pk, d, status in targets if status in UNSUBMITTED}
    has = {d for _pk, d, _status in targets}
    submitted = dict(
        TargetReview.objects.filter(target__year=year, step=ReviewStep.SUBMIT, revision=0)
        .values("target__department_id")
        .annotate(last=Max("at"))
        .values_list("target__department_id", "last")
    )
    rows = []
    for d in departments:
        done = d.pk in has and d.pk not in pending and d.pk in submitted
        on = timezone.localdate(submitted[d.pk]) if done else None
        rows.append(Progress(d, due, asof, on))
    return StepProgress(Step.TARGETS, str(Step.TARGETS.label), due, False, rows)


def _report_step(
    step: str,
    due: datetime.date,
    asof: datetime.date,
    departments: list[Department],
    approved: _Approved,
) -> StepProgress:
    """Each department with approved targets reports on every one of them."""
    period = REPORT_STEPS[Step(step)]
    rows = []
    for d in departments:
        mine = approved.by_department.get(d.pk)
        if not mine:
            continue  # nothing is due from a department without approved targets
        days = [approved.reports.get((t, period)) for t in mine]
        on = max(days) if all(days) else None  # type: ignore[type-var]
        rows.append(Progress(d, due, asof, on))
    return StepProgress(step, str(Step(step).label), due, False, rows)


def _self_assessment_step(
    year: Year, due: datetime.date, asof: datetime.date, departments: list[Department]
) -> StepProgress:
    """Each department submits its self-assessment form: done on its first submission."""
    first = dict(
        SelfAssessmentRevision.objects.filter(form__year=year)
        .values("form__department_id")
        .annotate(first=Min("submitted_at"))
        .values_list("form__department_id", "first")
    )
    rows = [
        Progress(d, due, asof, timezone.localdate(first[d.pk]) if d.pk in first else None)
        for d in departments
    ]
    return StepProgress(Step.SELF_ASSESSMENT, str(Step.SELF_ASSESSMENT.label), due, False, rows)


def _supervision_steps(
    year: Year, asof: datetime.date, departments: list[Department], approved: _Approved
) -> list[StepProgress]:
    """Each supervision-system period, due from the departments with targets in the system
    (its deadline as the office set it on the supervision page)."""
    online: dict[tuple[int, int], datetime.date] = {
        (t, p): on
        for t, p, on in SupervisionReport.objects.filter(target__year=year).values_list(
            "target_id", "period_id", "reported_on"
        )
    }
    out = []
    for period in SupervisionPeriod.objects.filter(year=year):
        rows = []
        for d in departments:
            mine = approved.supervised.get(d.pk)
            if not mine:
                continue
            days = [online.get((t, period.pk)) for t in mine]
            on = max(days) if all(days) else None  # type: ignore[type-var]
            rows.append(Progress(d, period.deadline, asof, on))
        label = _("Supervision-system report %(period)s") % {"period": period.key}
        out.append(StepProgress(f"sup:{period.key}", label, period.deadline, False, rows))
    return out


def _approval_step(
    year: Year, due: datetime.date, asof: datetime.date, targets: list[tuple[int, int, str]]
) -> StepProgress:
    """The office has the leading group approve the targets: done once every target was
    approved, on the day of the last first approval."""
    first = TargetVersion.objects.filter(target__year=year, revision=0)
    approved = dict(first.values_list("target_id", "approved_at"))
    done = bool(targets) and all(pk in approved for pk, _d, _s in targets)
    on = timezone.localdate(max(approved.values())) if done else None
    step = Step.TARGETS_APPROVAL
    return StepProgress(
        step, str(step.label), due, step in OFFICE_STEPS, [Progress(None, due, asof, on)]
    )
