"""Every write to the organisation: departments and their staff, one function each, audited.

Who heads a department is a role (accounts.actions.role_grant), granted by the administrator:
the assessment office, which manages departments here, cannot make anyone a head.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.access import org as org_access
from kaohe.access import roles as role_access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core.inputs import touch_all
from kaohe.db import refused_as
from kaohe.engine.limits import MAX_YEAR, MIN_YEAR
from kaohe.org.models import Department, Person

# The fields of a department the assessment office edits.
DEPARTMENT_FIELDS = (
    "name",
    "type",
    "parent",
    "active_from",
    "active_to",
    "supervising_leader",
)


def department_snapshot(d: Department) -> dict[str, Any]:
    """The department's values as the audit trail keeps them (users by username)."""
    return {
        "code": d.code,
        "name": d.name,
        "type": d.type,
        "parent": d.parent,
        "active_from": d.active_from,
        "active_to": d.active_to,
        "supervising_leader": d.supervising_leader.username if d.supervising_leader else None,
    }


def _check_years(active_from: int | None, active_to: int | None) -> None:
    for field, value in (("active_from", active_from), ("active_to", active_to)):
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise ValidationError(
                {field: [_("A year from %(min)s to %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}]}
            )
    if active_from is not None and active_to is not None and active_to < active_from:
        raise ValidationError(
            {"active_to": [_("The last active year cannot be before the first.")]}
        )


def _audit_created(by: Any, department: Department) -> None:
    """The audit row of a department added (on the office's page or by an import)."""
    audit_record(
        by=by,
        action=AuditAction.DEPARTMENT_CREATE,
        target_type=AuditTarget.DEPARTMENT,
        target_id=department.code,
        department_code=department.code,
        after=department_snapshot(department),
    )


@transaction.atomic
def department_create(*, by: Any, code: str, **fields: Any) -> Department:
    """Add a department (its head is given the role by the administrator)."""
    org_access.require_org_management(by)
    exists = {"code": [_("A department with this code already exists.")]}
    if Department.objects.filter(code=code).exists():
        raise ValidationError(exists)
    _check_years(fields.get("active_from"), fields.get("active_to"))
    with refused_as(exists):  # added at the same moment by another request
        department = Department.objects.create(
            code=code, **{k: v for k, v in fields.items() if k in DEPARTMENT_FIELDS}
        )
    _audit_created(by, department)
    return department


@transaction.atomic
def department_update(*, by: Any, department: Department, **fields: Any) -> Department:
    """Change a department's name, type, unit, active years or supervising leader (not its code)."""
    org_access.require_org_management(by)
    _check_years(fields.get("active_from"), fields.get("active_to"))
    locked = Department.objects.select_for_update().get(pk=department.pk)
    before = department_snapshot(locked)
    for key, value in fields.items():
        if key in DEPARTMENT_FIELDS:
            setattr(locked, key, value)
    locked.save()
    touch_all()  # its name and parent are in every year's input
    audit_record(
        by=by,
        action=AuditAction.DEPARTMENT_UPDATE,
        target_type=AuditTarget.DEPARTMENT,
        target_id=locked.code,
        department_code=locked.code,
        before=before,
        after=department_snapshot(locked),
    )
    return locked


def _person_snapshot(p: Person) -> dict[str, Any]:
    return {"department": p.department.code, "name": p.name, "active": p.active}


@transaction.atomic
def person_add(*, by: Any, department: Department, name: str) -> Person:
    """Add a member of staff to a department (named in person-time entries)."""
    org_access.require_org_management(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Enter the person's name.")]})
    exists = {"name": [_("This department already has a person of this name.")]}
    if Person.objects.filter(department=department, name=name).exists():
        raise ValidationError(exists)
    with refused_as(exists):  # added at the same moment by another request
        person = Person.objects.create(department=department, name=name)
    audit_record(
        by=by,
        action=AuditAction.PERSON_ADD,
        target_type=AuditTarget.PERSON,
        target_id=person.pk,
        department_code=department.code,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def person_set_active(*, by: Any, person: Person, active: bool) -> Person:
    """Mark a member of staff as left (inactive) or back; past entries keep naming them."""
    org_access.require_org_management(by)
    locked = Person.objects.select_for_update().select_related("department").get(pk=person.pk)
    before = _person_snapshot(locked)
    locked.active = active
    locked.save(update_fields=["active"])
    audit_record(
        by=by,
        action=AuditAction.PERSON_SET_ACTIVE,
        target_type=AuditTarget.PERSON,
        target_id=locked.pk,
        department_code=locked.department.code,
        before=before,
        after=_person_snapshot(locked),
    )
    return locked


# --- import of a year from a bundle (kaohe/assessment/bundle_io.py) -------------------------


@transaction.atomic
def departments_import(
    *, by: Any, departments: Iterable[tuple[str, str, str, str]]
) -> dict[str, Department]:
    """The departments of an imported bundle (code, name, type, parent): those known are kept,
    the others added, each addition audited as department_create."""
    role_access.require_importer(by)
    rows = list(departments)
    known = {d.code: d for d in Department.objects.filter(code__in=[r[0] for r in rows])}
    for code, name, type_, parent in rows:
        if code in known:
            continue
        known[code] = Department.objects.create(code=code, name=name, type=type_, parent=parent)
        _audit_created(by, known[code])
    return known


@transaction.atomic
def persons_import(*, by: Any, department: Department, names: Iterable[str]) -> dict[str, Person]:
    """The named staff of a department in an imported bundle: those known are kept, the others
    added, each addition audited as person_add."""
    role_access.require_importer(by)
    wanted = set(names)
    known = {p.name: p for p in Person.objects.filter(department=department, name__in=wanted)}
    for name in sorted(wanted - set(known)):
        known[name] = Person.objects.create(department=department, name=name)
        audit_record(
            by=by,
            action=AuditAction.PERSON_ADD,
            target_type=AuditTarget.PERSON,
            target_id=known[name].pk,
            department_code=department.code,
            after=_person_snapshot(known[name]),
        )
    return known
