"""Issue 14: the security settings the 安全管理员 changes (lockout, password and session policy,
who must use a second factor), stored as versions and read by every check that applies them."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaohe.access import accounts as account_access
from kaohe.accounts import middleware as limits
from kaohe.accounts.actions import security_policy_update
from kaohe.accounts.models import Profile, RoleKind, SecurityPolicy
from kaohe.accounts.passwords import password_change_due
from kaohe.accounts.policy import (
    BOUNDS,
    SECOND_FACTOR_FLOOR,
    axes_cool_off,
    axes_failure_limit,
    current_policy,
)
from kaohe.audit.models import AuditEvent
from tests.web.conftest import World
from tests.web.factories import PASSWORD

PAGE = "accounts:security_policy"
# The environment's policy as the page's form posts it (settings.py defaults).
DEFAULTS: dict[str, Any] = {
    "lockout_failures": 5,
    "lockout_address_failures": 5,
    "lockout_minutes": 30,
    "password_min_length": 10,
    "password_classes": 3,
    "password_max_age_days": 90,
    "password_history": 5,
    "session_idle_minutes": 30,
    "session_max_hours": 12,
}


def changed(w: World, **values: Any) -> SecurityPolicy:
    """The security administrator changes the settings through the action."""
    return security_policy_update(by=w.secadmin, values={**DEFAULTS, **values})


def post_login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


# The page ------------------------------------------------------------------------------------


def test_the_security_administrator_changes_a_setting_and_the_audit_keeps_before_and_after(
    world: World,
) -> None:
    admin = world.client(world.secadmin)
    page = admin.get(reverse(PAGE))
    assert page.status_code == 200
    assert "安全设置" in page.content.decode()
    done = admin.post(reverse(PAGE), {**DEFAULTS, "password_min_length": 12})
    assert done.status_code == 302
    row = SecurityPolicy.objects.get()
    assert (row.by, row.password_min_length) == (world.secadmin, 12)
    event = AuditEvent.objects.get(action="security_policy_update")
    assert (event.before, event.after) == ({"password_min_length": 10}, {"password_min_length": 12})
    assert event.actor == world.secadmin
    # the page now shows the version in force and the one just stored in its history
    again = admin.get(reverse(PAGE))
    assert again.context["form"].initial["password_min_length"] == 12
    assert world.secadmin.username in again.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lockout_failures", 2),  # below the floor of 3
        ("lockout_failures", 11),
        ("password_min_length", 9),  # below the 10
        ("password_classes", 2),  # below the 3
        ("password_history", 4),  # below the last 5
        ("password_max_age_days", 0),  # a password must expire
        ("session_idle_minutes", 121),
        ("session_max_hours", 25),
        ("lockout_minutes", "abc"),
    ],
)
def test_a_value_out_of_bounds_is_refused_in_chinese_and_nothing_is_written(
    world: World, field: str, value: Any
) -> None:
    admin = world.client(world.secadmin)
    refused = admin.post(reverse(PAGE), {**DEFAULTS, field: value})
    assert refused.status_code == 400
    errors = refused.context["form"].errors[field]
    assert errors and all(any("\u4e00" <= c <= "\u9fff" for c in e) for e in errors)
    assert not SecurityPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action="security_policy_update").exists()


def test_the_action_checks_the_bounds_for_any_caller(world: World) -> None:
    for name, (low, high) in BOUNDS.items():
        for wrong in (low - 1, high + 1):
            with pytest.raises(ValidationError) as refused:
                changed(world, **{name: wrong})
            assert name in refused.value.message_dict
    with pytest.raises(ValidationError) as idle:
        changed(world, session_idle_minutes=90, session_max_hours=1)
    assert "session_idle_minutes" in idle.value.message_dict
    with pytest.raises(ValidationError):
        changed(world, second_factor_roles=["no_such_role"])
    assert not SecurityPolicy.objects.exists()


def test_an_unchanged_form_is_refused_as_nothing_changed(world: World) -> None:
    admin = world.client(world.secadmin)
    refused = admin.post(reverse(PAGE), DEFAULTS)
    assert refused.status_code == 400
    assert "没有" in refused.content.decode()
    assert not SecurityPolicy.objects.exists()


def test_nobody_else_changes_the_settings(world: World) -> None:
    for name in ("office", "sysadmin", "auditadmin", "party", "clerk_zh"):
        with pytest.raises(PermissionDenied):
            security_policy_update(by=getattr(world, name), values=DEFAULTS)
    assert not account_access.may_manage_security(world.office)
    assert account_access.may_manage_security(world.secadmin)


# The second factor's roles ---------------------------------------------------------------------


def test_the_floor_cannot_be_switched_off_and_a_role_can_be_added(
    world: World, settings: Any
) -> None:
    settings.KAOHE_OTP_REQUIRED = True
    changed(world, second_factor_roles=[], lockout_minutes=20)
    policy = current_policy()
    assert policy.second_factor_roles == SECOND_FACTOR_FLOOR
    assert account_access.must_use_second_factor(world.office)
    assert not account_access.must_use_second_factor(world.leader)
    changed(world, second_factor_roles=[RoleKind.LEADER])
    assert account_access.must_use_second_factor(world.leader)
    assert account_access.must_use_second_factor(world.party)
    # the leader's next page is the enrolment
    client = Client()
    post_login(client, world.leader.username, PASSWORD)
    assert client.get("/").url == reverse("accounts:otp_enrol")


def test_the_page_offers_only_roles_above_the_floor(world: World) -> None:
    admin = world.client(world.secadmin)
    form = admin.get(reverse(PAGE)).context["form"]
    offered = {k for k, _label in form.fields["second_factor_roles"].choices}
    assert offered == set(RoleKind.values) - SECOND_FACTOR_FLOOR
    admin.post(reverse(PAGE), {**DEFAULTS, "second_factor_roles": [RoleKind.OFFICE_CLERK]})
    stored = set(SecurityPolicy.objects.get().second_factor_roles)
    assert stored == SECOND_FACTOR_FLOOR | {RoleKind.OFFICE_CLERK}


# What reads the policy -----------------------------------------------------------------------


def test_the_password_rules_follow_the_policy(world: World) -> None:
    eleven = "Kq7-mZp2xWv"  # 11 characters of four classes
    validate_password(eleven, world.clerk_zh)
    changed(world, password_min_length=12)
    with pytest.raises(ValidationError, match="12"):
        validate_password(eleven, world.clerk_zh)
    three_classes = "kq7mzp2xwvHH"
    validate_password(three_classes, world.clerk_zh)
    changed(world, password_min_length=12, password_classes=4)
    with pytest.raises(ValidationError):
        validate_password(three_classes, world.clerk_zh)


def test_the_history_count_follows_the_policy(world: World) -> None:
    from kaohe.accounts.actions import password_change

    changed(world, password_history=6)
    used = [f"Kq7-mZp2xW{n}a" for n in range(7)]
    for password in used:
        password_change(by=world.clerk_zh, password=password)
    # the sixth-last is still refused with a history of 6 (five would have let it through)
    with pytest.raises(ValidationError):
        password_change(by=world.clerk_zh, password=used[1])
    password_change(by=world.clerk_zh, password=used[0])


def test_the_maximum_age_follows_the_policy(world: World) -> None:
    Profile.objects.update_or_create(
        user=world.clerk_zh,
        defaults={"password_changed_at": timezone.now() - timedelta(days=10)},
    )
    world.clerk_zh.refresh_from_db()
    assert not password_change_due(world.clerk_zh)
    changed(world, password_max_age_days=7)
    assert password_change_due(world.clerk_zh)


def test_the_idle_timeout_and_lifetime_follow_the_policy(world: World, monkeypatch: Any) -> None:
    changed(world, session_idle_minutes=10, session_max_hours=2)
    start = time.time()
    monkeypatch.setattr(limits.time, "time", lambda: start)
    client = Client()
    assert post_login(client, world.clerk_zh.username, PASSWORD).status_code == 302
    assert client.session.get_expiry_age() == 2 * 3600
    monkeypatch.setattr(limits.time, "time", lambda: start + 9 * 60)
    assert client.get("/").status_code == 200
    monkeypatch.setattr(limits.time, "time", lambda: start + 20 * 60)
    out = client.get("/", follow=True)
    assert "10 分钟无操作" in out.content.decode()


@pytest.fixture
def lockout_on(settings: Any) -> None:
    settings.AXES_ENABLED = True


def test_a_login_name_and_an_address_lock_at_their_own_limits(
    world: World, lockout_on: None
) -> None:
    changed(world, lockout_failures=3, lockout_address_failures=6, lockout_minutes=15)
    assert axes_failure_limit(None) == 3
    assert axes_cool_off(None) == timedelta(minutes=15)
    client = Client()
    # one name from many addresses: locked at its third failure
    for n in range(3):
        post_login(client, world.clerk_zh.username, "wrong", ip=f"10.3.0.{n}")
    assert post_login(client, world.clerk_zh.username, PASSWORD, ip="10.3.0.99").status_code == 429
    # many names from one address: five failures do not lock it (the login page answers, not
    # the lockout), the sixth does
    for n in range(5):
        assert post_login(Client(), f"guess{n}", "wrong", ip="10.4.0.1").status_code == 200
    post_login(Client(), "guess5", "wrong", ip="10.4.0.1")
    assert post_login(Client(), world.head_js.username, PASSWORD, ip="10.4.0.1").status_code == 429
    admin = Client()
    assert post_login(admin, world.secadmin.username, PASSWORD, ip="10.9.9.9").status_code == 302
    listed = admin.get(reverse("accounts:lockouts")).content.decode()
    assert "10.4.0.1" in listed and world.clerk_zh.username in listed


def test_a_login_from_an_address_does_not_forget_its_guesses_at_other_names(
    world: World, lockout_on: None
) -> None:
    changed(world, lockout_failures=3, lockout_address_failures=5)
    post_login(Client(), world.clerk_zh.username, "typo", ip="10.5.0.1")
    for n in range(3):
        post_login(Client(), f"guess{n}", "wrong", ip="10.5.0.1")
    # the insider's own login succeeds and forgets the insider's typo only: three left
    assert post_login(Client(), world.clerk_zh.username, PASSWORD, ip="10.5.0.1").status_code == 302
    for n in range(3, 5):
        post_login(Client(), f"guess{n}", "wrong", ip="10.5.0.1")
    assert post_login(Client(), world.clerk_rs.username, PASSWORD, ip="10.5.0.1").status_code == 429


def test_a_page_costs_no_query_for_the_policy(world: World) -> None:
    client = world.client(world.clerk_zh)
    client.get("/")
    with CaptureQueriesContext(connection) as without:
        client.get("/")
    changed(world, session_idle_minutes=25)
    client.get("/")  # the first page after a change reads the new version once
    with CaptureQueriesContext(connection) as stored:
        client.get("/")
    assert len(stored) == len(without)
    # only the user's own query names it (kaohe.accounts.backends: a subquery of the same query)
    naming = [q["sql"] for q in stored.captured_queries if "accounts_securitypolicy" in q["sql"]]
    assert len(naming) == 1 and "auth_user" in naming[0]


def test_a_change_is_in_force_at_the_next_request(world: World, monkeypatch: Any) -> None:
    start = time.time()
    monkeypatch.setattr(limits.time, "time", lambda: start)
    client = Client()
    post_login(client, world.clerk_zh.username, PASSWORD)
    monkeypatch.setattr(limits.time, "time", lambda: start + 6 * 60)
    assert client.get("/").status_code == 200
    changed(world, session_idle_minutes=5)
    monkeypatch.setattr(limits.time, "time", lambda: start + 12 * 60)
    out = client.get("/", follow=True)
    assert "5 分钟无操作" in out.content.decode()


def test_an_unknown_role_in_the_environments_second_factor_list_stops_the_start() -> None:
    wrong = override_settings(KAOHE_SECOND_FACTOR_ROLES=["leader", "leadr"])
    with wrong, pytest.raises(SystemCheckError, match="unknown roles: leadr"):
        call_command("check")
    with override_settings(KAOHE_SECOND_FACTOR_ROLES=["leader"]):
        call_command("check")
