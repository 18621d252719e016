"""Issue 14 leftovers: other sessions end when a password or a second factor changes; the
command line's `changepassword` and `createsuperuser` keep the rules and are audited; what the
assessment office reads of the trail."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaohe.access import audit as audit_access
from kaohe.accounts import actions, security
from kaohe.accounts.models import PasswordHistory, Profile
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.audit.models import AuditEvent
from tests.web.conftest import World
from tests.web.factories import PASSWORD
from tests.web.test_login_security import code

NEW = "Kq7-mZp2xWva"


def logged_in(user: Any) -> Client:
    client = Client()
    login = {"username": user.username, "password": PASSWORD}
    assert client.post("/login/", login).status_code == 302
    return client


def ended(client: Client) -> bool:
    """Whether the client's session has ended: its next request is anonymous, and a page that
    needs a login sends it to the login page."""
    response = client.get(reverse("accounts:otp_enrol"))
    anonymous = not response.wsgi_request.user.is_authenticated
    return anonymous and response.status_code == 302 and response.url.startswith("/login/")


# Other sessions end ----------------------------------------------------------------------------


def test_changing_ones_password_ends_the_other_sessions_but_not_this_one(world: World) -> None:
    here, elsewhere = logged_in(world.clerk_zh), logged_in(world.clerk_zh)
    changed = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert changed.status_code == 302
    assert not ended(here)
    assert ended(elsewhere)


def test_a_password_reset_ends_the_accounts_sessions(world: World) -> None:
    theirs = logged_in(world.clerk_zh)
    actions.user_password_reset(by=world.sysadmin, user=world.clerk_zh)
    assert ended(theirs)


def test_enrolling_a_second_factor_ends_the_other_sessions_but_not_this_one(world: World) -> None:
    here, elsewhere = logged_in(world.clerk_zh), logged_in(world.clerk_zh)
    here.post(reverse("accounts:otp_enrol"), {"start": "1"})
    device = TOTPDevice.objects.get(user=world.clerk_zh, confirmed=False)
    assert here.post(reverse("accounts:otp_enrol"), {"token": code(device)}).status_code == 200
    assert here.get("/").status_code == 200
    out = elsewhere.get("/", follow=True)
    assert out.redirect_chain[0][0].startswith("/login/")
    assert "动态口令已变更" in out.content.decode()


def test_a_second_factor_reset_ends_the_accounts_sessions(world: World) -> None:
    TOTPDevice.objects.create(user=world.clerk_zh, name="phone", confirmed=True)
    theirs = logged_in(world.clerk_zh)
    security.second_factor_reset(by=world.secadmin, user=world.clerk_zh)
    assert Profile.objects.get(user=world.clerk_zh).session_epoch == 1
    assert ended(theirs)
    # a new login works, and then asks no code (nothing left to verify)
    assert logged_in(world.clerk_zh).get("/").status_code == 200


# The command line's password change --------------------------------------------------------------


def test_changepassword_applies_the_rules_history_and_audit(world: World, monkeypatch: Any) -> None:
    typed = iter(["kaohe2016", "kaohe2016"] * 3)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    with pytest.raises(CommandError):
        call_command("changepassword", world.clerk_zh.username, stderr=io.StringIO())
    world.clerk_zh.refresh_from_db()
    assert check_password(PASSWORD, world.clerk_zh.password)  # nothing was written
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", world.clerk_zh.username, stdout=io.StringIO())
    world.clerk_zh.refresh_from_db()
    assert check_password(NEW, world.clerk_zh.password)
    assert PasswordHistory.objects.filter(user=world.clerk_zh).count() == 1
    assert Profile.objects.get(user=world.clerk_zh).must_change_password
    event = AuditEvent.objects.get(action="user_password_reset")
    assert (event.actor, event.target_id) == (None, world.clerk_zh.username)
    # the same password again is one of the last five
    with pytest.raises(CommandError, match="5"):
        call_command("changepassword", world.clerk_zh.username, stderr=io.StringIO())


def test_changepassword_generates_one_on_request(world: World) -> None:
    out = io.StringIO()
    call_command("changepassword", world.clerk_zh.username, "--generate", stdout=out)
    shown = out.getvalue().split("password: ")[1].split()[0]
    world.clerk_zh.refresh_from_db()
    assert check_password(shown, world.clerk_zh.password)


def test_changepassword_names_an_unknown_account(world: World) -> None:
    with pytest.raises(CommandError, match="no account"):
        call_command("changepassword", "nobody", "--generate")


# Separation of duties in the trail ---------------------------------------------------------------


def administration_rows(w: World) -> None:
    """One row of each administration kind, and one of the assessment's own."""
    for target in audit_access.ADMINISTRATION_TARGETS:
        audit_record(
            by=w.sysadmin, action=AuditAction.USER_CREATE, target_type=target, target_id="x"
        )
    audit_record(
        by=w.office, action=AuditAction.ENTRY_CONFIRM, target_type=AuditTarget.ENTRY, target_id="7"
    )


def test_the_office_reads_the_assessments_trail_not_the_administrations(world: World) -> None:
    administration_rows(world)
    seen = set(
        audit_access.audit_events_for(world.office, AuditEvent.objects.all()).values_list(
            "target_type", flat=True
        )
    )
    assert seen == {AuditTarget.ENTRY}
    everything = audit_access.audit_events_for(world.auditadmin, AuditEvent.objects.all())
    assert everything.count() == AuditEvent.objects.count()


def test_the_audit_page_shows_the_office_no_account_rows(world: World) -> None:
    actions.role_grant(by=world.secadmin, user=world.outsider, kind="leader")
    office = world.client(world.office).get(reverse("audit:events"))
    assert office.status_code == 200
    assert "role_grant" not in {row.event.action for row in office.context["rows"]}
    filtered = world.client(world.office).get(reverse("audit:events"), {"target_type": "role"})
    assert not filtered.context["rows"]
    audit = world.client(world.auditadmin).get(reverse("audit:events"), {"target_type": "role"})
    assert {row.event.action for row in audit.context["rows"]} == {"role_grant"}


def test_the_audit_filter_offers_the_office_no_administration_targets(world: World) -> None:
    def targets(user: Any) -> set[str]:
        page = world.client(user).get(reverse("audit:events"))
        return {value for value, _label in page.context["form"].fields["target_type"].choices}

    hidden = {str(t) for t in audit_access.ADMINISTRATION_TARGETS}
    assert not targets(world.office) & hidden
    assert AuditTarget.ENTRY in targets(world.office)
    assert hidden <= targets(world.auditadmin)


def test_the_login_records_are_the_audit_administrators_alone(world: World) -> None:
    assert world.client(world.office).get(reverse("accounts:login_records")).status_code == 403
    assert world.client(world.auditadmin).get(reverse("accounts:login_records")).status_code == 200


# The command line's superuser ----------------------------------------------------------------------


def test_createsuperuser_applies_the_rules_and_is_audited(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "kaohe2016")
    with pytest.raises(CommandError):
        call_command("createsuperuser", "--username", "root", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action="superuser_create").exists()
    out = io.StringIO()
    call_command("createsuperuser", "--username", "root", "--noinput", stdout=out)
    root = get_user_model().objects.get(username="root")
    assert root.is_superuser and root.is_staff
    assert check_password(out.getvalue().split("password: ")[1].split()[0], root.password)
    assert Profile.objects.get(user=root).must_change_password
    assert PasswordHistory.objects.filter(user=root).count() == 1
    event = AuditEvent.objects.get(action="superuser_create")
    assert (event.actor, event.target_id, event.after["superuser"]) == (None, "root", True)


def test_no_page_creates_a_superuser(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.superuser_create(by=world.sysadmin, username="root2", password=NEW)
