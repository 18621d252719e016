"""The fixed personas of the web tests: one per role, around a small year."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from kaohe.org.models import Department
from kaohe.years.models import Year
from tests.web.factories import (
    PASSWORD,
    DepartmentFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
    make_year,
)


@dataclass
class World:
    """A small year: three departments, their staff, and a user for every role."""

    year: Year
    js: Department  # a service department
    xx: Department  # another service department
    bg: Department  # a general department
    office: Any  # 考核办
    clerk_zh: Any  # 综合处 clerk
    clerk_rs: Any  # 组织人事处 clerk
    head_js: Any  # head of JS
    liaison_js: Any  # liaison of JS
    head_xx: Any  # head of XX
    leader: Any
    party: Any
    outsider: Any  # logged in, no role
    sysadmin: Any  # 系统管理员
    secadmin: Any  # 安全管理员
    auditadmin: Any  # 审计管理员

    def client(self, user: Any) -> Client:
        c = Client()
        assert c.login(username=user.username, password=PASSWORD)
        return c


# Hashing passwords properly costs a quarter of a second per user; the tests do not need it.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@contextmanager
def module_data(django_db_blocker: Any, **overrides: Any) -> Iterator[None]:
    """For a module-scoped fixture: what it builds inside is kept for the module's tests and
    rolled back after the last. Each test still runs in a savepoint of its own (pytest-django's
    `db`), so what one test writes the next never sees; tests re-read rows they change rather
    than keep the fixture's objects. `overrides` are settings in force while building."""
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, **overrides),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def build_world() -> World:
    """The personas around year 2016 (a function, so that module-scoped fixtures share it)."""
    js = DepartmentFactory(code="JS", name="技术进步处", type="service")
    xx = DepartmentFactory(code="XX", name="信息化推进处", type="service")
    bg = DepartmentFactory(code="BG", name="办公室", type="general")
    for d in (js, xx, bg):
        PersonFactory(department=d, name=f"{d.code}甲")
        PersonFactory(department=d, name=f"{d.code}乙")
    year = make_year(2016, [js, xx, bg])

    def role(kind: str, **scope: Any) -> Any:
        return RoleFactory(kind=kind, **scope).user

    return World(
        year=year,
        js=js,
        xx=xx,
        bg=bg,
        office=role("assessment_office"),
        clerk_zh=role("office_clerk", office="ZH"),
        clerk_rs=role("office_clerk", office="RS"),
        head_js=role("department_head", department=js),
        liaison_js=role("department_liaison", department=js),
        head_xx=role("department_head", department=xx),
        leader=role("leader"),
        party=role("party_group"),
        outsider=UserFactory(),
        sysadmin=role("system_admin"),
        secadmin=role("security_admin"),
        auditadmin=role("audit_admin"),
    )


@pytest.fixture
def world(db: None) -> World:
    """The personas around year 2016, fresh for each test."""
    return build_world()
