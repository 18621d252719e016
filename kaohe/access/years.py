"""Who may open a year, a department's page, the overview and the scheme library."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kaohe.access.roles import (
    DEPARTMENT_MEMBER,
    is_assessment_office,
    is_staff_user,
    is_system_admin,
    member_department_ids,
    reads_everything,
    require_role,
)
from kaohe.accounts.models import Role, RoleKind
from kaohe.core.reads import once_per_request
from kaohe.engine import builtin_scheme_ids
from kaohe.org.models import Department
from kaohe.years.models import SchemeDocument, Year, YearDepartment


def may_manage_years(user: Any) -> bool:
    """Creating years, choosing their departments, keeping the scheme library: the office and
    the system administrator."""
    # The assessment office runs the assessment (rules.md §1).
    if is_assessment_office(user):
        return True
    # The system administrator sets years up (issue 14: 三员分立).
    return is_system_admin(user)


def may_correct_department_types(user: Any) -> bool:
    """Correcting a department's type once the year's rounds have opened: the office."""
    # The assessment office keeps the year's departments (rules.md §1); a correction is its call.
    return is_assessment_office(user)


def require_year_management(user: Any) -> None:
    """Refuse the years' management pages and actions to anyone who may not manage years."""
    if not may_manage_years(user):
        raise PermissionDenied


def visible_years(user: Any, *, scheme_of: int | None = None) -> list[Year]:
    """The years the user may open, latest first (the year switcher on every page), each with
    its scheme (decoded once per process, not on every page: issue 15). Read once per page
    (kaohe.core.reads): the page's own year comes from here too (year_for_user). `scheme_of`,
    the year whose scheme the page needs, is kept for the callers: every year has its own now."""
    # Every year, for anyone with a role: as year_for_user opens any year for them.
    if not is_staff_user(user):
        return []
    return list(once_per_request("visible_years", _years))


def _years() -> list[Year]:
    """Every year, latest first: which rows exist read from the database, the rows themselves
    (with their schemes) from this process's memo."""
    present = list(
        Year.objects.order_by("-year").values_list("id", "year", "scheme_id", "created_at")
    )
    missing = [row[0] for row in present if row not in _rows]
    if missing:
        if len(_rows) > 256:  # bounded: a database holds a few dozen years
            _rows.clear()
        for y in Year.objects.filter(pk__in=missing):
            _rows[(y.pk, y.year, y.scheme_id, y.created_at)] = y
    # A copy each: a page may cache on its year (its scheme, related rows), never on another's.
    return [copy.copy(_rows[row]) for row in present]


# This process's Year rows by what identifies each. A year's row is never changed once created
# (its scheme is a frozen copy: kaohe.years.actions creates it, nothing updates it), so a page
# reads only which rows exist, not their schemes again (issue 15).
_rows: dict[tuple[int, int, str, Any], Year] = {}


def year_for_user(user: Any, year: int) -> Year:
    """A year, for anyone with a role in the assessment (with its scheme; the same row the
    page's menu shows, read once)."""
    require_role(user)
    found = next((y for y in visible_years(user, scheme_of=year) if y.year == year), None)
    if found is None:
        raise Http404
    return found


def year_hub_for_user(user: Any, year: int) -> Year:
    """A year's hub and its scheme: for anyone with a role, and for whoever sets years up."""
    # The system administrator opens the hub (and scheme) of the year they set up, nothing more.
    if may_manage_years(user):
        found = Year.objects.filter(year=year).first()
        if found is None:
            raise Http404
        return found
    return year_for_user(user, year)


def department_for_user(user: Any, year: Year, code: str) -> Department:
    """A department's page: readers of everything, and the department's own head and liaison."""
    department = Department.objects.filter(code=code, years__year=year).first()
    if department is None:
        raise Http404
    if not (reads_everything(user) or department.pk in member_department_ids(user)):
        raise Http404
    return department


def self_assessment_department(user: Any, year: Year, code: str, *, write: bool) -> Department:
    """A department's self-assessment form: seen like its page; filled by its head or liaison."""
    department = department_for_user(user, year, code)
    if write and not may_fill_self_assessment(user, department):
        raise PermissionDenied
    return department


def may_fill_self_assessment(user: Any, department: Department) -> bool:
    """Filling in and submitting a department's self-assessment form (考核自评表)."""
    # The department's own head or liaison speaks for it; readers of everything only read.
    return department.pk in member_department_ids(user)


def pages_of_departments(user: Any, year: Year) -> QuerySet[YearDepartment]:
    """The year's assessed departments whose page the user may open (as department_for_user)."""
    assessed = year.assessed.select_related("department")
    # Readers of everything open every department's page.
    if reads_everything(user):
        return assessed
    # A head or liaison opens their own department's page only.
    return assessed.filter(department_id__in=member_department_ids(user))


def may_see_overview(user: Any) -> bool:
    """The all-departments overview: the office, leaders, the party group."""
    return reads_everything(user)


def require_overview(user: Any) -> None:
    """Refuse the overview to anyone who does not read every department."""
    # The overview shows every department's figures: only readers of everything.
    if not may_see_overview(user):
        raise PermissionDenied


def may_edit_scheme(user: Any, document: SchemeDocument) -> bool:
    """Saving a library scheme, in the JSON editor or the form editor."""
    # The assessment office keeps the library.
    if not may_manage_years(user):
        return False
    # A built-in scheme stays as shipped: it is copied, then the copy is edited.
    return document.scheme_id not in builtin_scheme_ids()


def scheme_document_for_user(user: Any, scheme_id: str) -> SchemeDocument:
    """A scheme of the library, for the assessment office (404 for an unknown id)."""
    # Only the assessment office keeps the library; others are refused before any lookup.
    require_year_management(user)
    document = SchemeDocument.objects.filter(scheme_id=scheme_id).first()
    # An unknown id is not found.
    if document is None:
        raise Http404
    return document


def may_set_deadlines(user: Any) -> bool:
    """Setting the year's deadlines, step by step: the assessment office."""
    # The office runs the year's process (rules.md §8); the system administrator does not.
    return is_assessment_office(user)


def may_see_deadlines(user: Any) -> bool:
    """The deadlines page: readers of everything, and department members (their own rows)."""
    # The office, leaders and the party group follow every department's progress.
    if reads_everything(user):
        return True
    # A department's head or liaison sees its own department's rows.
    return bool(member_department_ids(user))


def require_deadlines(user: Any) -> None:
    """Refuse the deadlines page to anyone who has no rows on it."""
    if not may_see_deadlines(user):
        raise PermissionDenied


def deadline_department_ids(user: Any, year: Year) -> set[int] | None:
    """The departments whose progress the user sees on the deadlines page; None for all."""
    # Readers of everything see every department.
    if reads_everything(user):
        return None
    # A department member sees its own.
    return member_department_ids(user)


def sees_office_steps(user: Any) -> bool:
    """Whether the deadlines page shows the office's own steps (the leading group's approval)."""
    # Those who read everything follow the office's work too; a department does not.
    return reads_everything(user)


def reminder_recipients(department_ids: set[int]) -> tuple[dict[int, list[Any]], list[Any]]:
    """Who must act on a deadline: each department's head and liaison accounts, and the
    assessment office's accounts for its own steps (active accounts only; two queries)."""
    members: dict[int, list[Any]] = {d: [] for d in department_ids}
    # A department's head and liaison speak for it (they submit its targets, reports, form).
    rows = Role.objects.filter(
        kind__in=DEPARTMENT_MEMBER, department_id__in=department_ids, user__is_active=True
    ).select_related("user")
    for role in rows.order_by("user__username"):
        mine = members.setdefault(role.department_id or 0, [])
        if role.user not in mine:
            mine.append(role.user)
    # The assessment office compiles the targets and has the leading group approve them.
    office = Role.objects.filter(kind=RoleKind.ASSESSMENT_OFFICE, user__is_active=True)
    office_users = list({r.user.pk: r.user for r in office.select_related("user")}.values())
    return members, sorted(office_users, key=lambda u: u.username)


def may_send_reminders(user: Any) -> bool:
    """Sending the deadline reminders: the command line (`kaohe remind`, run by a scheduler)."""
    # Whoever runs the command holds the server already (by=None).
    return user is None
