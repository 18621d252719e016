"""Every change of an account or a role, one function each, audited (issue 14, 三员分立).

Accounts are the system administrator's (`user_create`, `user_disable`, `user_enable`,
`user_password_reset`), roles the security administrator's (`role_grant`, `role_revoke`), as
kaohe/access/accounts.py decides; the command line (`kaohe createadmin`, `kaohe roles`, the demo)
passes `by=None`: whoever runs it holds the server already. No action writes a password into
the audit trail, only that it was set.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.access import accounts as account_access
from kaohe.accounts.models import (
    OFFICE_NAMES,
    Notification,
    PasswordHistory,
    Profile,
    Role,
    RoleKind,
    SecurityPolicy,
)
from kaohe.accounts.passwords import generated_password
from kaohe.accounts.policy import checked_policy, current_policy
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.db import refused_as

OFFICE_ROLES = {RoleKind.OFFICE_CLERK}
DEPARTMENT_ROLES = {RoleKind.DEPARTMENT_HEAD, RoleKind.DEPARTMENT_LIAISON}


def role_snapshot(role: Role) -> dict[str, Any]:
    """The role's values as the audit trail keeps them (the user by username)."""
    return {
        "user": role.user.username,
        "kind": role.kind,
        "office": role.office,
        "department": role.department.code if role.department else "",
    }


def role_problems(kind: str, office: str, department: Any) -> dict[str, list[str]]:
    """What is wrong with a role's scope, by field; empty when it is right."""
    if kind not in RoleKind.values:
        return {"kind": [_("Choose a role.")]}
    if kind in OFFICE_ROLES and office not in OFFICE_NAMES:
        return {"office": [_("A clerk's role names one of the responsible offices.")]}
    if kind not in OFFICE_ROLES and office:
        return {"office": [_("Only a clerk's role names an office.")]}
    if kind in DEPARTMENT_ROLES and department is None:
        return {"department": [_("A head's or liaison's role names the department.")]}
    if kind not in DEPARTMENT_ROLES and department is not None:
        return {"department": [_("Only a head's or liaison's role names a department.")]}
    return {}


def _audit(by: Any, action: AuditAction, role: Role, **values: Any) -> None:
    audit_record(
        by=by,
        action=action,
        target_type=AuditTarget.ROLE,
        target_id=role.user.username,
        department_code=role.department.code if role.department else "",
        **values,
    )


@transaction.atomic
def role_grant(*, by: Any, user: Any, kind: str, office: str = "", department: Any = None) -> Role:
    """Give a user a role (a clerk's names the office, a head's or liaison's the department)."""
    if not account_access.may_change_roles_of(by, user):
        raise PermissionDenied
    if problems := role_problems(kind, office, department):
        raise ValidationError(problems)
    if held := account_access.administrator_conflict(user, kind):
        message = _("The user is already the %(role)s: one person holds one administrator role.")
        raise ValidationError({"kind": [message % {"role": RoleKind(held).label}]})
    role = Role(user=user, kind=kind, office=office, department=department)
    if Role.objects.filter(user=user, kind=kind, office=office, department=department).exists():
        raise ValidationError(_("The user already holds this role."))
    with refused_as(_("The user already holds this role.")):
        role.save()
    _audit(by, AuditAction.ROLE_GRANT, role, after=role_snapshot(role))
    return role


@transaction.atomic
def role_revoke(*, by: Any, role: Role) -> None:
    """Take a role away from a user; the audit trail keeps what it was."""
    if not account_access.may_change_roles_of(by, role.user):
        raise PermissionDenied
    locked = Role.objects.select_for_update(of=("self",)).select_related("user", "department")
    found = locked.filter(pk=role.pk).first()
    if found is None:
        raise ValidationError(_("This role has already been revoked."))
    before = role_snapshot(found)
    found.delete()
    _audit(by, AuditAction.ROLE_REVOKE, found, before=before)


USERNAME_MAX = 30
FULL_NAME_MAX = 40


def user_snapshot(user: Any) -> dict[str, Any]:
    """The account's values as the audit trail keeps them (never its password)."""
    profile = Profile.objects.filter(user=user).first()
    return {
        "username": user.username,
        "full_name": user.first_name,
        "enabled": user.is_active,
        "must_change_password": bool(profile and profile.must_change_password),
    }


def _audit_user(by: Any, action: AuditAction, user: Any, **values: Any) -> None:
    audit_record(
        by=by, action=action, target_type=AuditTarget.USER, target_id=user.username, **values
    )


def _username_problems(username: str) -> dict[str, list[str]]:
    """What is wrong with a new login name; empty when it is right."""
    if not username or len(username) > USERNAME_MAX:
        return {"username": [_("A login name has 1 to %(n)s characters.") % {"n": USERNAME_MAX}]}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return {"username": [_("A login name has letters, digits and @ . + - _ only.")]}
    if get_user_model().objects.filter(username__iexact=username).exists():
        return {"username": [_("This login name is taken.")]}
    return {}


def _set_password(user: Any, password: str, *, must_change: bool) -> None:
    """Store the new password, keep its hash in the history, and mark the profile."""
    user.set_password(password)
    user.save(update_fields=["password"])
    PasswordHistory.objects.create(user=user, password=user.password)
    Profile.objects.update_or_create(
        user=user,
        defaults={"must_change_password": must_change, "password_changed_at": timezone.now()},
    )


def _checked_password(password: str, user: Any) -> None:
    """The password rules (settings.AUTH_PASSWORD_VALIDATORS), as the password field's error."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None


@transaction.atomic
def user_create(
    *, by: Any, username: str, full_name: str, password: str = "", must_change: bool = True
) -> tuple[Any, str]:
    """Create an account; with no password given one is generated. Returns the account and its
    password, to be shown once. The login name never changes afterwards."""
    if not account_access.may_manage_accounts(by):
        raise PermissionDenied
    username = username.strip()
    full_name = full_name.strip()[:FULL_NAME_MAX]
    if problems := _username_problems(username):
        raise ValidationError(problems)
    user = get_user_model()(username=username, first_name=full_name)
    password = password or generated_password()
    _checked_password(password, user)
    with refused_as({"username": [_("This login name is taken.")]}):
        user.set_unusable_password()
        user.save()
    _set_password(user, password, must_change=must_change)
    _audit_user(by, AuditAction.USER_CREATE, user, after=user_snapshot(user))
    return user, password


def _locked_account(by: Any, user: Any) -> Any:
    """The account, locked, once the administrator may manage it."""
    if not account_access.may_manage_account(by, user):
        raise PermissionDenied
    return get_user_model().objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def user_disable(*, by: Any, user: Any) -> Any:
    """Disable an account: it cannot log in, and its open sessions end at their next request."""
    found = _locked_account(by, user)
    if not found.is_active:
        raise ValidationError(_("The account is disabled already."))
    before = user_snapshot(found)
    found.is_active = False
    found.save(update_fields=["is_active"])
    _audit_user(by, AuditAction.USER_DISABLE, found, before=before, after=user_snapshot(found))
    return found


@transaction.atomic
def user_enable(*, by: Any, user: Any) -> Any:
    """Re-enable a disabled account."""
    found = _locked_account(by, user)
    if found.is_active:
        raise ValidationError(_("The account is enabled already."))
    before = user_snapshot(found)
    found.is_active = True
    found.save(update_fields=["is_active"])
    _audit_user(by, AuditAction.USER_ENABLE, found, before=before, after=user_snapshot(found))
    return found


@transaction.atomic
def user_password_reset(*, by: Any, user: Any, password: str = "") -> str:
    """Give an account a new password (generated when none is given), to be changed by its
    owner at the next login. Returns the password, to be shown once."""
    found = _locked_account(by, user)
    password = password or generated_password()
    _checked_password(password, found)
    before = user_snapshot(found)
    _set_password(found, password, must_change=True)
    after = user_snapshot(found)
    _audit_user(by, AuditAction.USER_PASSWORD_RESET, found, before=before, after=after)
    return password


@transaction.atomic
def password_change(*, by: Any, password: str) -> None:
    """The account's owner changes their own password (the change page checked the old one)."""
    if by is None or not by.is_authenticated:
        raise PermissionDenied
    found = get_user_model().objects.select_for_update().get(pk=by.pk)
    _checked_password(password, found)
    _set_password(found, password, must_change=False)
    by.password = found.password
    _audit_user(by, AuditAction.PASSWORD_CHANGE, found)


@transaction.atomic
def superuser_create(*, by: Any, username: str, password: str = "") -> tuple[Any, str]:
    """A superuser, for installation and emergencies: from the command line only (by=None),
    under the password rules and history as any account, audited. Returns it and its password
    (generated when none is given, to be shown once); it must be changed at the first login."""
    if by is not None:
        raise PermissionDenied
    username = username.strip()
    if problems := _username_problems(username):
        raise ValidationError(problems)
    user = get_user_model()(username=username, is_staff=True, is_superuser=True)
    password = password or generated_password()
    _checked_password(password, user)
    with refused_as({"username": [_("This login name is taken.")]}):
        user.set_unusable_password()
        user.save()
    _set_password(user, password, must_change=True)
    after = {**user_snapshot(user), "superuser": True}
    _audit_user(by, AuditAction.SUPERUSER_CREATE, user, after=after)
    return user, password


def superuser_login_record(*, user: Any) -> None:
    """A superuser logged in: for installation and emergencies only, so every use is audited."""
    if user.is_superuser:
        audit_record(
            by=user,
            action=AuditAction.SUPERUSER_LOGIN,
            target_type=AuditTarget.USER,
            target_id=user.username,
            after={"superuser": True},
        )


@transaction.atomic
def security_policy_update(*, by: Any, values: dict[str, Any]) -> SecurityPolicy:
    """Change the security settings (the 安全管理员's): a new version in force from the next
    request on, the earlier ones kept as its history; the audit row keeps what changed."""
    if not account_access.may_manage_security(by):
        raise PermissionDenied
    # One change at a time: the newest version is read under the lock of the previous one.
    list(SecurityPolicy.objects.select_for_update().order_by("-id")[:1])
    before, after = current_policy().values(), checked_policy(values).values()
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    row = SecurityPolicy.objects.create(by=by, **after)
    audit_record(
        by=by,
        action=AuditAction.SECURITY_POLICY_UPDATE,
        target_type=AuditTarget.SECURITY_POLICY,
        target_id=str(row.pk),
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return row


def notification_add(user: Any, text: str, url: str = "") -> Notification:
    """A message in the account's bell; written inside the action that sends it (the reminder
    that `kaohe remind` sends writes its own audit row)."""
    return Notification.objects.create(user=user, text=text, url=url)


@transaction.atomic
def notifications_read(*, by: Any, ids: list[int] | None = None) -> int:
    """Mark one's own unread notifications read (those of `ids`, or all); how many were."""
    if not account_access.may_see_notifications(by):
        raise PermissionDenied
    unread = Notification.objects.filter(user=by, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = sorted(unread.values_list("pk", flat=True))
    if not marked:
        return 0
    Notification.objects.filter(pk__in=marked).update(read_at=timezone.now())
    audit_record(
        by=by,
        action=AuditAction.NOTIFICATIONS_READ,
        target_type=AuditTarget.USER,
        target_id=by.pk,
        after={"notifications": marked},
    )
    return len(marked)
