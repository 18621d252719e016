"""Every write to the organisation: departments and their staff, one function each, audited.

Who heads a department is a role (accounts.actions.role_grant), granted by the administrator:
the assessment office, which manages departments here, cannot make anyone a head.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe import access
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
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


@transaction.atomic
def department_create(*, by: Any, code: str, **fields: Any) -> Department:
    """Add a department (its head is given the role by the administrator)."""
    access.require_assessment_office(by)
    exists = {"code": [_("A department with this code already exists.")]}
    if Department.objects.filter(code=code).exists():
        raise ValidationError(exists)
    _check_years(fields.get("active_from"), fields.get("active_to"))
    with refused_as(exists):  # added at the same moment by another request
        department = Department.objects.create(
            code=code, **{k: v for k, v in fields.items() if k in DEPARTMENT_FIELDS}
        )
    audit_record(
        by=by,
        action=AuditAction.DEPARTMENT_CREATE,
        target_type=AuditTarget.DEPARTMENT,
        target_id=code,
        department_code=code,
        after=department_snapshot(department),
    )
    return department


@transaction.atomic
def department_update(*, by: Any, department: Department, **fields: Any) -> Department:
    """Change a department's name, type, unit, active years or supervising leader (not its code)."""
    access.require_assessment_office(by)
    _check_years(fields.get("active_from"), fields.get("active_to"))
    locked = Department.objects.select_for_update().get(pk=department.pk)
    before = department_snapshot(locked)
    for key, value in fields.items():
        if key in DEPARTMENT_FIELDS:
            setattr(locked, key, value)
    locked.save()
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
    access.require_assessment_office(by)
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
    access.require_assessment_office(by)
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
