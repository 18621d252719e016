"""Accounts and the separation of duties (issue 14.1) and the password rules (14.2): each
administrator does their own job only, every change is audited, the password rules refuse weak,
reused and expired passwords, and a password set by someone else must be changed first."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kaohe.access import audit as audit_access
from kaohe.access import org as org_access
from kaohe.access import years as year_access
from kaohe.accounts import actions
from kaohe.accounts.models import PasswordHistory, Profile, Role, RoleKind
from kaohe.accounts.passwords import character_classes, generated_password
from kaohe.audit.models import AuditEvent
from tests.web.conftest import World
from tests.web.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD = "Wuxi-Lake-2026"  # ten or more characters, four classes, nothing common


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- separation of duties ----------------------------------------------------------------------


def test_the_system_administrator_manages_accounts_and_nothing_of_the_others(world: World) -> None:
    user, password = actions.user_create(by=world.sysadmin, username="wang", full_name="王五")
    actions.user_disable(by=world.sysadmin, user=user)
    actions.user_enable(by=world.sysadmin, user=user)
    actions.user_password_reset(by=world.sysadmin, user=user)
    # not a role (the security administrator's), not the audit trail (the audit administrator's)
    with pytest.raises(PermissionDenied):
        actions.role_grant(by=world.sysadmin, user=user, kind=RoleKind.LEADER)
    assert not audit_access.may_see_audit(world.sysadmin)
    # departments, staff and years' setup are the system administrator's too
    assert org_access.may_manage_org(world.sysadmin)
    assert year_access.may_manage_years(world.sysadmin)


@pytest.mark.parametrize("who", ["secadmin", "auditadmin", "office", "party", "outsider"])
def test_only_the_system_administrator_manages_accounts(world: World, who: str) -> None:
    by = getattr(world, who)
    target = UserFactory()
    for act in (
        lambda: actions.user_create(by=by, username="zhao", full_name="赵六"),
        lambda: actions.user_disable(by=by, user=target),
        lambda: actions.user_enable(by=by, user=target),
        lambda: actions.user_password_reset(by=by, user=target),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert not get_user_model().objects.filter(username="zhao").exists()
    assert get_user_model().objects.get(pk=target.pk).is_active
    assert not AuditEvent.objects.filter(target_type="user").exists()


def test_the_security_administrator_grants_roles_and_manages_no_account(world: World) -> None:
    target = UserFactory()
    role = actions.role_grant(by=world.secadmin, user=target, kind=RoleKind.LEADER)
    actions.role_revoke(by=world.secadmin, role=role)
    with pytest.raises(PermissionDenied):
        actions.user_disable(by=world.secadmin, user=target)
    assert not audit_access.may_see_audit(world.secadmin)
    assert not org_access.may_manage_org(world.secadmin)
    assert not year_access.may_manage_years(world.secadmin)


def test_the_audit_administrator_reads_the_trail_and_changes_nothing(world: World) -> None:
    assert audit_access.may_see_audit(world.auditadmin)
    assert audit_access.may_export_audit(world.auditadmin)
    assert not audit_access.may_export_audit(world.office)
    target = UserFactory()
    with pytest.raises(PermissionDenied):
        actions.role_grant(by=world.auditadmin, user=target, kind=RoleKind.LEADER)
    with pytest.raises(PermissionDenied):
        actions.user_disable(by=world.auditadmin, user=target)
    assert not org_access.may_manage_org(world.auditadmin)
    assert not year_access.may_manage_years(world.auditadmin)
    page = world.client(world.auditadmin).get(reverse("audit:events"))
    assert page.status_code == 200


def test_the_office_cannot_grant_a_role_even_to_itself(world: World) -> None:
    for target in (world.office, world.outsider):
        with pytest.raises(PermissionDenied):
            actions.role_grant(by=world.office, user=target, kind=RoleKind.PARTY_GROUP)
    response = world.client(world.office).post(
        reverse("accounts:role_grant", args=[world.office.pk]), {"kind": "party_group"}
    )
    assert response.status_code == 403
    assert not Role.objects.filter(user=world.office, kind=RoleKind.PARTY_GROUP).exists()


def test_nobody_grants_a_role_to_themselves(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.role_grant(by=world.secadmin, user=world.secadmin, kind=RoleKind.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        actions.role_revoke(by=world.secadmin, role=Role.objects.get(user=world.secadmin))
    client = world.client(world.secadmin)
    url = reverse("accounts:role_grant", args=[world.secadmin.pk])
    assert client.post(url, {"kind": "assessment_office"}).status_code == 403
    assert Role.objects.filter(user=world.secadmin).count() == 1


def test_one_person_holds_one_administrator_role(world: World) -> None:
    with pytest.raises(ValidationError, match="一人只能担任一种管理员角色"):
        actions.role_grant(by=world.secadmin, user=world.sysadmin, kind=RoleKind.AUDIT_ADMIN)


def test_nobody_disables_themselves_and_a_superuser_is_left_to_the_server(world: World) -> None:
    root = get_user_model().objects.create_superuser("root", password=GOOD)
    for target in (world.sysadmin, root):
        with pytest.raises(PermissionDenied):
            actions.user_disable(by=world.sysadmin, user=target)
        with pytest.raises(PermissionDenied):
            actions.user_password_reset(by=world.sysadmin, user=target)


def test_administrators_see_no_assessment_page(world: World) -> None:
    for who in ("sysadmin", "secadmin", "auditadmin"):
        client = world.client(getattr(world, who))
        assert client.get(reverse("ledger:entries", args=[2016])).status_code == 403
        assert client.get(reverse("results:published", args=[2016])).status_code == 403


# --- the actions and their audit rows ---------------------------------------------------------


def test_creating_an_account_shows_its_password_once_and_audits_no_password(world: World) -> None:
    client = world.client(world.sysadmin)
    data = {"username": "li", "full_name": "李四", "password": ""}
    response = client.post(reverse("accounts:user_new"), data)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert character_classes(password) == 4 and password in response.content.decode()
    user = get_user_model().objects.get(username="li")
    assert user.check_password(password) and user.first_name == "李四"
    assert Profile.objects.get(user=user).must_change_password
    (event,) = events("user_create")
    assert event.actor == world.sysadmin and event.target_id == "li"
    assert event.after == {
        "username": "li",
        "full_name": "李四",
        "enabled": True,
        "must_change_password": True,
    }
    assert password not in str(event.after) and user.password not in str(event.after)
    # the account page has no way to rename it: the login name never changes
    page = client.get(reverse("accounts:user", args=[user.pk])).content.decode()
    assert 'name="username"' not in page


def test_a_taken_or_bad_login_name_is_refused_in_chinese(world: World) -> None:
    client = world.client(world.sysadmin)
    for username, message in (
        (world.office.username.upper(), "该登录名已被使用"),
        ("a b", "登录名只能包含"),
    ):
        response = client.post(
            reverse("accounts:user_new"), {"username": username, "full_name": "甲"}
        )
        assert response.status_code == 200 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action="user_create").exists()


def test_disable_and_enable_are_audited_and_a_disabled_account_cannot_log_in(
    world: World,
) -> None:
    client = world.client(world.sysadmin)
    target = world.clerk_zh
    assert Client().login(username=target.username, password=PASSWORD)
    response = client.post(reverse("accounts:user_disable", args=[target.pk]))
    assert response.status_code == 302
    assert not Client().login(username=target.username, password=PASSWORD)
    again = client.post(reverse("accounts:user_disable", args=[target.pk]), follow=True)
    assert "该账号已停用" in again.content.decode()
    client.post(reverse("accounts:user_enable", args=[target.pk]))
    assert Client().login(username=target.username, password=PASSWORD)
    disable, enable = events("user_disable") + events("user_enable")
    assert disable.before["enabled"] and not disable.after["enabled"]
    assert not enable.before["enabled"] and enable.after["enabled"]


def test_a_reset_password_must_be_changed_at_the_next_login(world: World) -> None:
    client = world.client(world.sysadmin)
    response = client.post(
        reverse("accounts:user_password_reset", args=[world.leader.pk]), {"password": ""}
    )
    password = response.context["password"]
    (event,) = events("user_password_reset")
    assert event.after["must_change_password"] and password not in str(event.after)
    leader = Client()
    assert leader.login(username=world.leader.username, password=password)
    home = leader.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("accounts:password_change")
    # the change page, logging out and the change itself stay open
    page = leader.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "请先修改密码" in page.content.decode()
    changed = leader.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert changed.status_code == 302
    assert leader.get(reverse("home")).status_code == 200
    assert events("password_change")[0].actor == world.leader
    assert leader.post(reverse("logout")).status_code == 302


def test_the_grant_form_names_the_scope_and_a_wrong_one_is_refused(world: World) -> None:
    client = world.client(world.secadmin)
    target = UserFactory()
    url = reverse("accounts:role_grant", args=[target.pk])
    bad = client.post(url, {"kind": "department_head", "department": ""})
    assert bad.status_code == 400 and "须指明所在处室" in bad.content.decode()
    good = client.post(url, {"kind": "department_head", "department": world.js.pk})
    assert good.status_code == 302
    role = Role.objects.get(user=target)
    assert role.department == world.js
    client.post(reverse("accounts:role_revoke", args=[role.pk]))
    assert not Role.objects.filter(user=target).exists()
    assert [e.action for e in AuditEvent.objects.filter(target_type="role")] == [
        "role_revoke",
        "role_grant",
    ]


def test_the_account_list_searches_login_and_full_name(world: World) -> None:
    UserFactory(username="zhangsan", first_name="张三")
    UserFactory(username="lisi", first_name="李四")
    client = world.client(world.secadmin)
    by_name = client.get(reverse("accounts:users"), {"q": "张"}).content.decode()
    assert "zhangsan" in by_name and "lisi" not in by_name
    by_login = client.get(reverse("accounts:users"), {"q": "LIS"}).content.decode()
    assert "lisi" in by_login and "zhangsan" not in by_login
    # the security administrator grants; the create button is the system administrator's
    assert reverse("accounts:user_new") not in by_name
    assert (
        reverse("accounts:user_new")
        in world.client(world.sysadmin).get(reverse("accounts:users")).content.decode()
    )


def test_a_superuser_login_is_audited(world: World) -> None:
    get_user_model().objects.create_superuser("root", password=GOOD)
    assert Client().login(username="root", password=GOOD)
    (event,) = events("superuser_login")
    assert event.actor.username == "root" and event.target_id == "root"
    world.client(world.office)
    assert len(events("superuser_login")) == 1


# --- the password rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kaohe2016", "密码太短：至少10个字符"),  # the probe's password: too short, two classes
        ("kaohe20162016", "至少包含大写字母、小写字母、数字、符号中的3类"),
        ("Aa1-short", "密码太短：至少10个字符"),
        ("Password123", "密码太常见"),
        ("xXchuzhangXx-1", "不得包含登录名"),
        ("Chuzhang-2026", "不得包含登录名"),
    ],
)
def test_a_weak_password_is_refused_in_chinese(password: str, message: str) -> None:
    user = get_user_model()(username="chuzhang", first_name="周")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_good_password_passes_and_generated_ones_always_do() -> None:
    user = get_user_model()(username="chuzhang")
    validate_password(GOOD, user)
    for _i in range(50):
        validate_password(generated_password(), user)


def test_none_of_the_last_five_passwords_comes_back(world: World) -> None:
    user = world.leader
    used = [f"Lake-Tai-{n}x" for n in range(6)]
    for password in used:
        actions.password_change(by=user, password=password)
    assert PasswordHistory.objects.filter(user=user).count() == 6
    for password in used[1:]:
        with pytest.raises(ValidationError, match="不得与最近5次使用的密码相同"):
            actions.password_change(by=user, password=password)
    actions.password_change(by=user, password=used[0])  # the sixth back is allowed again
    # a reset is held to the same rule
    with pytest.raises(ValidationError, match="不得与最近5次"):
        actions.user_password_reset(by=world.sysadmin, user=user, password=used[5])


def test_the_change_page_refuses_a_reused_password(world: World) -> None:
    client = world.client(world.leader)
    data = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 200
    assert "不得与最近5次使用的密码相同" in response.content.decode()


def test_an_expired_password_sends_to_the_change_page(world: World, settings: Any) -> None:
    actions.password_change(by=world.leader, password=GOOD)
    client = Client()
    assert client.login(username=world.leader.username, password=GOOD)
    assert client.get(reverse("home")).status_code == 200
    # changed 89 days ago: still good; 91 days ago: past the 90 days of the default
    profile = Profile.objects.filter(user=world.leader)
    profile.update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get(reverse("home")).status_code == 200
    profile.update(password_changed_at=timezone.now() - timedelta(days=91))
    response = client.get(reverse("years:detail", args=[2016]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    settings.KAOHE_PASSWORD_MAX_AGE_DAYS = 0  # 0: passwords never expire
    assert client.get(reverse("home")).status_code == 200


def test_an_account_without_a_profile_is_not_held_up(world: World) -> None:
    assert not Profile.objects.filter(user=world.clerk_zh).exists()
    assert world.client(world.clerk_zh).get(reverse("home")).status_code == 200


# --- createadmin ------------------------------------------------------------------------------------


def test_createadmin_makes_the_three_administrators_who_must_change_their_passwords() -> None:
    out = StringIO()
    call_command("createadmin", stdout=out)
    for username, kind in (
        ("sysadmin", "system_admin"),
        ("secadmin", "security_admin"),
        ("auditadmin", "audit_admin"),
    ):
        user = get_user_model().objects.get(username=username)
        assert list(user.roles.values_list("kind", flat=True)) == [kind]
        assert Profile.objects.get(user=user).must_change_password
        line = next(x for x in out.getvalue().splitlines() if x.startswith(username))
        assert user.check_password(line.rsplit(" ", 1)[1])
    assert len(events("user_create")) == 3 and len(events("role_grant")) == 3


def test_createadmin_one_named_and_not_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    call_command(
        "createadmin", "--role", "security_admin", "--username", "an", "--prompt", stdout=StringIO()
    )
    user = get_user_model().objects.get(username="an")
    assert user.check_password(GOOD) and user.roles.get().kind == "security_admin"
    with pytest.raises(CommandError, match="该登录名已被使用"):
        call_command("createadmin", "--role", "security_admin", "--username", "an")
    with pytest.raises(CommandError):
        call_command("createadmin", "--username", "x")


def test_the_audit_administrator_exports_the_trail_as_text_and_the_export_is_audited(
    world: World,
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    actions.user_create(by=world.sysadmin, username="eve", full_name="=HYPERLINK(1)")
    client = world.client(world.auditadmin)
    assert "导出" in client.get(reverse("audit:events")).content.decode()
    assert (
        "audit/export"
        not in world.client(world.office).get(reverse("audit:events")).content.decode()
    )
    response = client.get(reverse("audit:export_xlsx"), {"target_type": "user"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    ws = load_workbook(BytesIO(b"".join([response.content]))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][3] == "创建账号" and rows[0][5] == "eve"
    assert "=HYPERLINK(1)" in rows[0][8]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    (event,) = events("audit_export")
    assert event.actor == world.auditadmin
    assert event.after == {"format": "xlsx", "filters": {"target_type": "user"}, "rows": 1}
    assert world.client(world.office).get(reverse("audit:export_xlsx")).status_code == 403


def test_an_administrator_s_home_leads_to_their_pages_only(world: World) -> None:
    for who, shown, hidden in (
        ("sysadmin", [reverse("accounts:users"), reverse("years:list")], [reverse("audit:events")]),
        ("secadmin", [reverse("accounts:users")], [reverse("years:list"), reverse("audit:events")]),
        ("auditadmin", [reverse("audit:events")], [reverse("accounts:users")]),
    ):
        page = world.client(getattr(world, who)).get(reverse("home")).content.decode()
        assert "您是系统的管理员" in page and 'id="wb-admin"' in page
        assert all(f'href="{u}"' in page for u in shown), who
        assert not any(f'href="{u}"' in page for u in hidden), who
