"""Who may manage accounts and grant roles: the separation of duties (三员分立).

系统管理员 manages accounts (create, disable, re-enable, reset a password); 安全管理员 grants and
revokes roles (and, later, the security settings); 审计管理员 reads the audit trail
(kaohe/access/audit.py). None does another's job, the assessment office grants nothing, and
nobody changes their own account or roles. The command line (`kaohe createadmin`, `kaohe roles`,
the demo) acts as None: whoever runs it holds the server already.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kaohe.access.roles import (
    ADMINISTRATORS,
    has_role,
    is_audit_admin,
    is_security_admin,
    is_system_admin,
)
from kaohe.accounts.models import Role
from kaohe.accounts.policy import current_policy


def may_manage_accounts(user: Any) -> bool:
    """Creating, disabling, re-enabling accounts and resetting passwords: 系统管理员."""
    # The command line acts for the administrator who holds the server.
    if user is None:
        return True
    return is_system_admin(user)


def may_grant_roles(user: Any) -> bool:
    """Granting and revoking roles: 安全管理员, never the assessment office or a superuser."""
    # The command line acts for the administrator who holds the server.
    if user is None:
        return True
    return is_security_admin(user)


def may_manage_security(user: Any) -> bool:
    """The security settings (lockout, password and session policy, second factor): 安全管理员
    alone (the page, its action `security_policy_update`, a device reset, the lockouts)."""
    # The command line acts for the administrator who holds the server.
    if user is None:
        return True
    return is_security_admin(user)


def may_see_accounts(user: Any) -> bool:
    """The list of accounts and an account's page: those who manage accounts or roles."""
    return may_manage_accounts(user) or may_grant_roles(user)


def require_accounts(user: Any) -> None:
    """Refuse the account pages to anyone who neither manages accounts nor grants roles."""
    if not may_see_accounts(user):
        raise PermissionDenied


def _is_self(by: Any, target: Any) -> bool:
    return by is not None and getattr(by, "pk", None) == target.pk


def may_manage_account(by: Any, target: Any) -> bool:
    """Disabling, re-enabling or resetting the password of this account."""
    # Only the system administrator manages accounts.
    if not may_manage_accounts(by):
        return False
    # Nobody disables or resets their own account (their own password: the change page).
    if _is_self(by, target):
        return False
    # A superuser is for installation and emergencies: changed on the server, not by a page.
    return not (by is not None and target.is_superuser)


def may_change_roles_of(by: Any, target: Any) -> bool:
    """Granting a role to or revoking one from this account."""
    # Only the security administrator grants and revokes.
    if not may_grant_roles(by):
        return False
    # Nobody grants a role to themselves, or takes one away.
    return not _is_self(by, target)


def administrator_conflict(target: Any, kind: str) -> str:
    """The administrator role the account holds that another one may not join ("" if none)."""
    # 三员分立: one person holds at most one of the three administrator roles.
    if kind not in ADMINISTRATORS:
        return ""
    held = Role.objects.filter(user=target, kind__in=ADMINISTRATORS).exclude(kind=kind)
    found = held.values_list("kind", flat=True).first()
    return found or ""


def account_for_user(user: Any, pk: int) -> Any:
    """An account's page: for those who may see accounts (403 first, 404 for an unknown one)."""
    require_accounts(user)
    found = get_user_model().objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def role_for_user(user: Any, pk: int) -> Role:
    """A role to revoke: for the security administrator, never one of their own."""
    if not may_grant_roles(user):
        raise PermissionDenied
    found = Role.objects.select_related("user", "department").filter(pk=pk).first()
    if found is None:
        raise Http404
    if not may_change_roles_of(user, found.user):
        raise PermissionDenied
    return found


def must_use_second_factor(user: Any) -> bool:
    """Whether the account may open no page before it passes a second factor (TOTP)."""
    # The requirement is on in production, off under DEBUG unless KAOHE_OTP_REQUIRED=1, so that
    # the demo's assessment office logs in without a phone (settings.py).
    if not settings.KAOHE_OTP_REQUIRED:
        return False
    # Only a logged-in account has roles to ask.
    if not getattr(user, "is_authenticated", False):
        return False
    # The policy's roles: at least the assessment office, the party group and the three
    # administrators (kaohe/accounts/policy.py SECOND_FACTOR_FLOOR), more if the 安全管理员 adds.
    return has_role(user, *current_policy(user).second_factor_roles)


def may_enrol_second_factor(user: Any) -> bool:
    """Enrolling a second factor of one's own: any logged-in account (optional for most)."""
    return bool(getattr(user, "is_authenticated", False))


def may_reset_second_factor(by: Any, target: Any) -> bool:
    """Removing an account's second-factor devices (a lost phone): the security administrator."""
    # Second-factor enrolment is one of the security settings (三员分立).
    if not may_manage_security(by):
        return False
    # Nobody resets their own: that would turn off their own second factor.
    return not _is_self(by, target)


def may_clear_lockouts(user: Any) -> bool:
    """The list of current lockouts and their clearing: the security administrator."""
    # The lockout policy is one of the security settings.
    return may_manage_security(user)


def may_see_login_records(user: Any) -> bool:
    """The login records (logins, failures, lockouts, second factor): the audit administrator."""
    # They read and export every record and change nothing (三员分立).
    return is_audit_admin(user)


def may_see_notifications(user: Any) -> bool:
    """One's own notifications (the bell): every logged-in account reads its own, no one else's."""
    # A notification is addressed to one account; whoever is logged in reads theirs.
    return bool(getattr(user, "is_authenticated", False))


def require_notifications(user: Any) -> None:
    """Refuse the notification pages to anyone not logged in."""
    if not may_see_notifications(user):
        raise PermissionDenied
