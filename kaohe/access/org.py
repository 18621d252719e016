"""Who may manage the organisation: departments and their staff."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kaohe.access.roles import require_assessment_office
from kaohe.org.models import Department


def org_department_for_user(user: Any, code: str) -> Department:
    """A department to manage, with its staff: the assessment office only."""
    # Managing departments and staff is the assessment office's work.
    require_assessment_office(user)
    department = Department.objects.filter(code=code).first()
    # An unknown code is not found.
    if department is None:
        raise Http404
    return department
