"""The login's security, one action each (issue 14 part 2): login records, clearing a lockout,
enrolling, using and resetting a second factor.

Django's and axes's signals (apps.py) only call `login_event_record`; the record is itself the
evidence of a login, so it writes no audit row, while what an administrator or the account's
owner changes (a lockout cleared, a device enrolled, confirmed or reset, a recovery code used)
is audited as every other write is.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kaohe.access import accounts as account_access
from kaohe.accounts.models import LoginEvent, LoginRecord, Profile
from kaohe.accounts.policy import current_policy
from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget

# The session's copy of Profile.session_epoch (kaohe/accounts/middleware.py compares the two).
SESSION_EPOCH = "kaohe_epoch"
USERNAME_MAX = 150  # Django's login name field: what a failure records, as typed
TOKEN_MAX = 16  # a TOTP code has 6 digits, a recovery code 8 letters and digits


def client_address(request: HttpRequest | None) -> str:
    """The client's address, as axes counts it (the real-IP header behind a proxy)."""
    if request is None:
        return ""
    found = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return str(found or "")[:45]


def login_event_record(
    *, by: Any, event: LoginEvent, username: str = "", request: HttpRequest | None = None
) -> LoginRecord:
    """Add a login record: the event, the login name (as typed, for a failure), the address."""
    user = by if getattr(by, "is_authenticated", False) else None
    name = username or (user.username if user is not None else "")
    return LoginRecord.objects.create(
        event=event, username=str(name)[:USERNAME_MAX], user=user, address=client_address(request)
    )


def session_expiry_record(*, by: Any, request: HttpRequest, reason: str) -> LoginRecord:
    """The session ended by its idle or absolute limit (the middleware logs it out next)."""
    return login_event_record(by=by, event=LoginEvent.SESSION_EXPIRED, request=request)


def _audit(by: Any, action: AuditAction, target: str, **values: Any) -> None:
    audit_record(by=by, action=action, target_type=AuditTarget.USER, target_id=target, **values)


# Lockouts -------------------------------------------------------------------------------------


def current_lockouts() -> list[dict[str, Any]]:
    """The login names and addresses locked out now, each with its failures and last time."""
    policy = current_policy()
    limits = {"username": policy.lockout_failures, "ip_address": policy.lockout_address_failures}
    since = timezone.now() - timedelta(minutes=policy.lockout_minutes)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since).order_by("attempt_time")
    out: list[dict[str, Any]] = []
    for field, limit in limits.items():
        totals: dict[str, dict[str, Any]] = {}
        for attempt in recent:
            key = getattr(attempt, field) or ""
            if not key:
                continue
            found = totals.setdefault(key, {"kind": field, "key": key, "failures": 0})
            found["failures"] += attempt.failures_since_start
            found["at"] = attempt.attempt_time
        out += [t for t in totals.values() if t["failures"] >= limit]
    return sorted(out, key=lambda t: t["at"], reverse=True)


@transaction.atomic
def lockout_clear(*, by: Any, username: str = "", address: str = "") -> int:
    """Clear the lockout of a login name or of an address: its failures are forgotten.
    Returns how many failure records went."""
    if not account_access.may_clear_lockouts(by):
        raise PermissionDenied
    if bool(username) == bool(address):
        raise ValidationError(_("Name one login name or one address to unlock."))
    if username:
        cleared = axes_reset(username=username[:USERNAME_MAX])
    else:
        cleared = axes_reset(ip=address[:45])
    if not cleared:
        raise ValidationError(_("This lockout has already been cleared."))
    target = username or address
    _audit(by, AuditAction.LOCKOUT_CLEAR, target, before={"username": username, "address": address})
    LoginRecord.objects.create(
        event=LoginEvent.LOCKOUT_CLEARED, username=username[:USERNAME_MAX], address=address[:45]
    )
    return int(cleared)


# The second factor ----------------------------------------------------------------------------


def has_confirmed_device(user: Any) -> bool:
    """Whether the account has a confirmed second factor (a TOTP device)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def sessions_end(user: Any) -> int:
    """End every session of the account that logged in before now (its second factor changed):
    each ends at its next request (kaohe/accounts/middleware.py). Returns the new epoch."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.session_epoch += 1
    profile.save(update_fields=["session_epoch"])
    return profile.session_epoch


def _require_self(by: Any) -> None:
    if not account_access.may_enrol_second_factor(by):
        raise PermissionDenied


@transaction.atomic
def second_factor_enrol(*, by: Any) -> TOTPDevice:
    """Start enrolling: a new, unconfirmed TOTP device for the account (an earlier unconfirmed
    one is dropped). The account confirms it with a code from the phone."""
    _require_self(by)
    if has_confirmed_device(by):
        raise ValidationError(_("A second factor is enrolled already."))
    TOTPDevice.objects.filter(user=by, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=by, name=_("Phone"), confirmed=False)
    _audit(by, AuditAction.SECOND_FACTOR_ENROL, by.username, after={"device": "totp"})
    return device


def _recovery_codes() -> list[str]:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    return [
        "".join(secrets.choice(alphabet) for _ in range(8)) for _ in range(settings.RECOVERY_CODES)
    ]


@transaction.atomic
def second_factor_confirm(*, by: Any, token: str, request: HttpRequest | None = None) -> list[str]:
    """Confirm the unconfirmed device with a code from the phone; returns the recovery codes
    (shown once) and marks the session as having passed its second factor."""
    _require_self(by)
    device = TOTPDevice.objects.select_for_update().filter(user=by, confirmed=False).first()
    if device is None:
        raise ValidationError(_("Start the enrolment again: no device waits for its code."))
    if not device.verify_token(token.strip()[:TOKEN_MAX]):
        raise ValidationError({"token": [_("The code is wrong or has expired. Try the next one.")]})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=by).delete()
    static = StaticDevice.objects.create(user=by, name=_("Recovery codes"), confirmed=True)
    codes = _recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    _audit(by, AuditAction.SECOND_FACTOR_CONFIRM, by.username, after={"recovery_codes": len(codes)})
    login_event_record(by=by, event=LoginEvent.OTP_ENROLLED, request=request)
    epoch = sessions_end(by)
    if request is not None:
        # This session goes on: it is the one that just passed the new second factor.
        request.session[SESSION_EPOCH] = epoch
        otp_login(request, device)
    return codes


def second_factor_verify(*, by: Any, token: str, request: HttpRequest) -> bool:
    """The login's second step: a code from the phone, or else a recovery code (used up).
    Marks the session as verified; every attempt is a login record."""
    _require_self(by)
    token = token.strip()[:TOKEN_MAX]
    device = TOTPDevice.objects.filter(user=by, confirmed=True).first()
    allowed = device is not None and token.isdigit() and device.verify_is_allowed()[0]
    if allowed and device is not None and device.verify_token(token):
        otp_login(request, device)
        login_event_record(by=by, event=LoginEvent.OTP_PASSED, request=request)
        return True
    if recovery_code_use(by=by, token=token, request=request):
        return True
    login_event_record(by=by, event=LoginEvent.OTP_FAILED, request=request)
    return False


@transaction.atomic
def recovery_code_use(*, by: Any, token: str, request: HttpRequest) -> bool:
    """Pass the second factor with one of the recovery codes, which is then used up."""
    _require_self(by)
    static = StaticDevice.objects.filter(user=by, confirmed=True).first()
    if static is None or not token or not static.verify_token(token.lower()):
        return False
    left = StaticToken.objects.filter(device=static).count()
    _audit(by, AuditAction.RECOVERY_CODE_USE, by.username, after={"recovery_codes_left": left})
    login_event_record(by=by, event=LoginEvent.RECOVERY_CODE_USED, request=request)
    otp_login(request, static)
    return True


@transaction.atomic
def second_factor_reset(*, by: Any, user: Any) -> int:
    """Remove every second-factor device of an account (a lost phone): it enrols again at its
    next login. Returns how many devices went."""
    if not account_access.may_reset_second_factor(by, user):
        raise PermissionDenied
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    if not removed:
        raise ValidationError(_("The account has no second factor to reset."))
    _audit(by, AuditAction.SECOND_FACTOR_RESET, user.username, before={"devices": removed})
    sessions_end(user)
    LoginRecord.objects.create(event=LoginEvent.OTP_RESET, username=user.username, user=user)
    return int(removed)


def login_records_export(*, by: Any, filters: dict[str, Any], rows: int) -> None:
    """The audit administrator took the login records out: the export is itself audited."""
    if not account_access.may_see_login_records(by):
        raise PermissionDenied
    shown = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    _audit(
        by, AuditAction.LOGIN_RECORDS_EXPORT, by.username, after={"filters": shown, "rows": rows}
    )
