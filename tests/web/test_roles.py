"""Separation of duties (issue 9 §6): roles are the administrator's to grant, every change is
audited, and nobody decides an objection they are a party to."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from kaohe.accounts.actions import role_grant, role_revoke
from kaohe.accounts.models import Role, RoleKind
from kaohe.assessment.management.commands.demo import DEMO_USERS
from kaohe.audit.models import AuditEvent
from kaohe.ledger import actions
from kaohe.ledger.models import ObjectionStatus
from tests.web.conftest import World
from tests.web.factories import RoleFactory
from tests.web.test_ledger_views import confirmed

pytestmark = pytest.mark.django_db


def superuser() -> Any:
    return get_user_model().objects.create_superuser("admin", password="admin-password-123")


def test_the_office_cannot_make_itself_the_head_of_a_department(world: World) -> None:
    office = world.client(world.office)
    data = {"name": "技术进步处", "type": "service", "head": str(world.office.pk)}
    assert office.post(reverse("years:org_edit", args=["JS"]), data).status_code == 302
    new = data | {"code": "NEW", "name": "新处"}
    assert office.post(reverse("years:org_new"), new).status_code == 302
    assert not Role.objects.filter(user=world.office, kind=RoleKind.DEPARTMENT_HEAD).exists()
    page = office.get(reverse("years:org_edit", args=["JS"])).content.decode()
    assert 'name="head"' not in page and "由系统管理员授予" in page


def test_only_the_security_administrator_grants_and_revokes_roles(world: World) -> None:
    for user in (world.office, world.party, world.head_js, world.sysadmin, world.auditadmin):
        with pytest.raises(PermissionDenied):
            role_grant(by=user, user=user, kind=RoleKind.DEPARTMENT_HEAD, department=world.xx)
        with pytest.raises(PermissionDenied):
            role_revoke(by=user, role=Role.objects.get(user=world.head_js))
    # A superuser is for installation and emergencies: it grants nothing on a page.
    with pytest.raises(PermissionDenied):
        role_grant(by=superuser(), user=world.outsider, kind=RoleKind.LEADER)
    admin = world.secadmin
    role = role_grant(
        by=admin, user=world.office, kind=RoleKind.DEPARTMENT_HEAD, department=world.xx
    )
    role_revoke(by=admin, role=role)
    events = AuditEvent.objects.filter(target_type="role").order_by("id")
    assert [(e.action, e.actor, e.department_code) for e in events] == [
        ("role_grant", admin, "XX"),
        ("role_revoke", admin, "XX"),
    ]
    assert events[0].after == {
        "user": world.office.username,
        "kind": "department_head",
        "office": "",
        "department": "XX",
    }
    assert events[1].before == events[0].after and events[1].after is None


@pytest.mark.parametrize(
    ("kind", "scope", "message"),
    [
        ("office_clerk", {}, "须指明所属的责任处室"),
        ("office_clerk", {"office": "XX"}, "须指明所属的责任处室"),
        ("department_head", {}, "须指明所在处室"),
        ("leader", {"office": "ZH"}, "只有经办人角色才指明处室"),
    ],
)
def test_a_role_names_the_scope_its_kind_needs(
    world: World, kind: str, scope: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        role_grant(by=None, user=world.outsider, kind=kind, **scope)
    assert not Role.objects.filter(user=world.outsider).exists()


def test_roles_are_granted_and_revoked_on_the_command_line(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("roles", "grant", world.outsider.username, "department_head", department="JS")
    assert Role.objects.filter(user=world.outsider, department=world.js).exists()
    call_command("roles")
    assert f"{world.outsider.username}" in capsys.readouterr().out
    call_command("roles", "revoke", world.outsider.username, "department_head", department="JS")
    assert not Role.objects.filter(user=world.outsider).exists()
    actions_ = list(AuditEvent.objects.filter(target_type="role").values_list("action", "actor"))
    assert actions_ == [("role_revoke", None), ("role_grant", None)]


def test_the_admin_shows_roles_but_grants_and_revokes_none(world: World) -> None:
    role = Role.objects.create(user=world.outsider, kind=RoleKind.LEADER)
    client = world.client(world.office)
    client.force_login(superuser())
    assert client.get("/admin/accounts/role/").status_code == 200
    data = {"user": str(world.outsider.pk), "kind": "office_clerk", "office": "RS"}
    assert client.post("/admin/accounts/role/add/", data).status_code == 403
    change = client.post(f"/admin/accounts/role/{role.pk}/change/", data | {"office": "ZH"})
    assert change.status_code == 403
    assert (
        client.post(f"/admin/accounts/role/{role.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert list(Role.objects.filter(user=world.outsider).values_list("kind", flat=True)) == [
        RoleKind.LEADER
    ]
    assert not AuditEvent.objects.filter(target_type="role").exists()


def test_the_admin_changes_departments_and_staff_on_their_pages_only(world: World) -> None:
    client = world.client(world.office)
    client.force_login(superuser())
    assert client.get(f"/admin/org/department/{world.js.pk}/change/").status_code == 200
    post = {"code": "JS", "name": "改名", "type": "service"}
    assert client.post(f"/admin/org/department/{world.js.pk}/change/", post).status_code == 403
    assert client.get("/admin/org/department/add/").status_code == 403


def test_the_demo_grants_its_roles_through_the_audited_action() -> None:
    call_command("demo")
    grants = AuditEvent.objects.filter(action="role_grant")
    assert grants.count() == len(DEMO_USERS) == Role.objects.count()


def test_an_office_member_who_heads_a_department_does_not_decide_its_objection(
    world: World,
) -> None:
    # given a member of the assessment office who also heads JS (the seed's 考核办 is made of
    # department heads), and a second member
    both = world.office
    RoleFactory(user=both, kind=RoleKind.DEPARTMENT_HEAD, department=world.js)
    other = RoleFactory(kind=RoleKind.ASSESSMENT_OFFICE).user
    entry = confirmed(world)
    objection = actions.objection_raise(by=both, entry=entry, reason="已按时报送")
    client = world.client(both)
    page = client.get(f"/ledger/entries/{entry.pk}/").content.decode()
    assert "应当回避" in page and 'action="/ledger/objections/' not in page
    decision = {"resolve-outcome": "reject", "resolve-resolution": "自己驳回"}
    url = f"/ledger/objections/{objection.pk}/resolve/"
    assert client.post(url, decision).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.objection_resolve(by=both, objection=objection, uphold=True, resolution="成立")
    liaison = world.liaison_js
    RoleFactory(user=liaison, kind=RoleKind.ASSESSMENT_OFFICE)
    with pytest.raises(PermissionDenied):  # the department's liaison is a party too
        actions.objection_resolve(by=liaison, objection=objection, uphold=True, resolution="成立")
    decided = actions.objection_resolve(
        by=other, objection=objection, uphold=False, resolution="驳回"
    )
    assert decided.status == ObjectionStatus.REJECTED
