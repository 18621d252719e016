"""Views of the organisation: departments and their staff (the assessment office's pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kaohe.access import org as org_access
from kaohe.accounts.models import Role, RoleKind
from kaohe.core.forms import attempt
from kaohe.org import actions as org_actions
from kaohe.org.actions import DEPARTMENT_FIELDS
from kaohe.org.forms import DepartmentForm, PersonForm
from kaohe.org.models import Department, Person


@login_required
def org_list(request: HttpRequest) -> HttpResponse:
    """All departments, with their active years, heads and staff count."""
    org_access.require_org_management(request.user)
    departments = (
        Department.objects.select_related("supervising_leader")
        .prefetch_related(_heads())
        .annotate(staff_count=Count("staff", filter=Q(staff__active=True)))
    )
    return render(request, "org/list.html", {"departments": departments})


def _heads() -> Prefetch[Any]:
    """A department's heads: holders of its department-head role (granted by the administrator)."""
    heads = Role.objects.filter(kind=RoleKind.DEPARTMENT_HEAD).select_related("user")
    return Prefetch("roles", queryset=heads, to_attr="head_roles")


def _department_fields(form: DepartmentForm) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in DEPARTMENT_FIELDS}


@login_required
def org_new(request: HttpRequest) -> HttpResponse:
    """Add a department."""
    org_access.require_org_management(request.user)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST":
        created = attempt(
            form,
            lambda: org_actions.department_create(
                by=request.user, code=form.cleaned_data["code"], **_department_fields(form)
            ),
        )
        if created is not None:
            messages.success(request, _("Department %(name)s added.") % {"name": created.name})
            return redirect("years:org_staff", code=created.code)
    return render(request, "org/edit.html", {"form": form, "department": None})


@login_required
def org_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a department's name, type, unit, active years or supervising leader."""
    department = org_access.org_department_for_user(request.user, code)
    heads = [
        r.user
        for r in Role.objects.filter(
            kind=RoleKind.DEPARTMENT_HEAD, department=department
        ).select_related("user")
    ]
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST":
        done = attempt(
            form,
            lambda: org_actions.department_update(
                by=request.user, department=department, **_department_fields(form)
            ),
        )
        if done is not None:
            messages.success(request, _("Department %(name)s saved.") % {"name": department.name})
            return redirect("years:org_list")
    context = {"form": form, "department": department, "heads": heads}
    return render(request, "org/edit.html", context)


@login_required
def org_staff(request: HttpRequest, code: str) -> HttpResponse:
    """A department's staff: add a person, mark one as left or back."""
    department = org_access.org_department_for_user(request.user, code)
    form = PersonForm(request.POST if request.POST.get("op") == "add" else None)
    if request.method == "POST" and request.POST.get("op") == "toggle":
        person = get_object_or_404(Person, pk=request.POST.get("person"), department=department)
        org_actions.person_set_active(by=request.user, person=person, active=not person.active)
        return redirect("years:org_staff", code=code)
    if request.method == "POST":
        done = attempt(
            form,
            lambda: org_actions.person_add(
                by=request.user, department=department, name=form.cleaned_data["name"]
            ),
        )
        if done is not None:
            messages.success(request, _("%(name)s added.") % {"name": form.cleaned_data["name"]})
            return redirect("years:org_staff", code=code)
    staff = department.staff.all()
    context = {"department": department, "staff": staff, "form": form}
    return render(request, "org/staff.html", context)
