"""The organisation: departments and their staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.constants import DepartmentType


class Department(models.Model):
    """An internal department (处室) or a section (科室) of 无线电管理处; its head is a role."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(_("type"), max_length=16, choices=DepartmentType.choices)
    parent = models.CharField(_("parent unit"), max_length=100, blank=True)
    active_from = models.PositiveIntegerField(_("active from year"), null=True, blank=True)
    active_to = models.PositiveIntegerField(_("active until year"), null=True, blank=True)
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_departments",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member of a department's staff, named in person-time entries (人次)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff")
    name = models.CharField(_("name"), max_length=50)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="person_unique")]

    def __str__(self) -> str:
        return self.name
