"""The login's security pages (issue 14 part 2): the login page, the second factor (enrolment
and the login's second step), a device reset, the lockouts, and the login records."""

from __future__ import annotations

import csv
import io
from base64 import b32encode
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from kaohe.access import accounts as account_access
from kaohe.accounts import actions as account_actions
from kaohe.accounts import security
from kaohe.accounts.forms import SecurityPolicyForm
from kaohe.accounts.middleware import HAS_DEVICE
from kaohe.accounts.models import LoginEvent, LoginRecord, RoleKind, SecurityPolicy
from kaohe.accounts.policy import SECOND_FACTOR_FLOOR, current_policy
from kaohe.core import sheets
from kaohe.core.downloads import XLSX, download
from kaohe.core.forms import attempt
from kaohe.core.paging import page_of
from kaohe.core.sheets import csv_text

PAGE_SIZE = 50
EXPORT_MAX = 50_000  # rows in one export: narrow the filters (a date range) for more


class LoginView(auth_views.LoginView):
    """Django's login page, telling whether a second factor is asked after the password."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["otp_required"] = settings.KAOHE_OTP_REQUIRED
        return context


class TokenForm(forms.Form):
    """A code from the phone (6 digits) or a recovery code (8 letters and digits)."""

    token = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=security.TOKEN_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


def _next_page(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and safe else settings.LOGIN_REDIRECT_URL


def _qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI (no external service)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


@never_cache
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol a phone: start (a new device, its QR code), then confirm with a code from it; the
    recovery codes are shown once."""
    user: Any = request.user
    if not account_access.may_enrol_second_factor(user):
        raise PermissionDenied
    form = TokenForm(request.POST if "token" in request.POST else None)
    if request.method == "POST" and "start" in request.POST:
        try:
            security.second_factor_enrol(by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("accounts:otp_enrol")
    if request.method == "POST" and form.is_valid():
        try:
            codes = security.second_factor_confirm(
                by=user, token=form.cleaned_data["token"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = render(request, "accounts/otp_codes.html", {"codes": codes})
            response["Cache-Control"] = "no-store"
            return response
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    context = {
        "form": form,
        "pending": pending,
        "qr": _qr_data_uri(pending) if pending else "",
        "secret": pending and _base32(pending),
        "enrolled": security.has_confirmed_device(user),
        "required": account_access.must_use_second_factor(user),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/otp_enrol.html", context, status=status)


def _base32(device: TOTPDevice) -> str:
    """The device's key as letters, grouped by four, for an app that cannot scan."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the phone, or one of the recovery codes."""
    user: Any = request.user
    if user.is_verified():
        return redirect(_next_page(request))
    if not security.has_confirmed_device(user):
        request.session[HAS_DEVICE] = False  # reset by the security administrator meanwhile
        return redirect(_next_page(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.second_factor_verify(
            by=user, token=form.cleaned_data["token"], request=request
        ):
            return redirect(_next_page(request))
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    status = 400 if form.errors else 200
    return render(request, "accounts/otp_verify.html", {"form": form}, status=status)


@login_required
@require_POST
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The security administrator removes an account's devices (a lost phone)."""
    user = account_access.account_for_user(request.user, pk)
    if not account_access.may_reset_second_factor(request.user, user):
        raise PermissionDenied
    try:
        security.second_factor_reset(by=request.user, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The second factor is reset: the account enrols again."))
    return redirect("accounts:user", pk=user.pk)


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    """The login names and addresses locked out now, each with its unlock button."""
    if not account_access.may_clear_lockouts(request.user):
        raise PermissionDenied
    context = {
        "lockouts": security.current_lockouts(),
        "policy": current_policy(request.user),
        "can_change_policy": account_access.may_manage_security(request.user),
    }
    return render(request, "accounts/lockouts.html", context)


POLICY_GROUPS = [
    (gettext_lazy("Lockout"), ["lockout_failures", "lockout_address_failures", "lockout_minutes"]),
    (
        gettext_lazy("Passwords"),
        ["password_min_length", "password_classes", "password_max_age_days", "password_history"],
    ),
    (gettext_lazy("Sessions"), ["session_idle_minutes", "session_max_hours"]),
    (gettext_lazy("Second factor"), ["second_factor_roles"]),
]
HISTORY_SHOWN = 20  # the latest versions on the page; the audit trail keeps every change


@never_cache
@login_required
def security_policy(request: HttpRequest) -> HttpResponse:
    """The security settings (the 安全管理员's): the policy in force as a form, and its history."""
    if not account_access.may_manage_security(request.user):
        raise PermissionDenied
    policy = current_policy()
    form = SecurityPolicyForm(request.POST or None, initial=policy.values())
    if request.method == "POST":
        act = lambda: account_actions.security_policy_update(  # noqa: E731
            by=request.user, values=form.cleaned_data
        )
        if attempt(form, act) is not None:
            messages.success(request, _("The security settings are changed: in force from now."))
            return redirect("accounts:security_policy")
    context = {
        "form": form,
        "groups": [(title, [form[name] for name in names]) for title, names in POLICY_GROUPS],
        "policy": policy,
        "floor": sorted(str(RoleKind(k).label) for k in SECOND_FACTOR_FLOOR),
        "history": SecurityPolicy.objects.select_related("by")[:HISTORY_SHOWN],
        "otp_required": settings.KAOHE_OTP_REQUIRED,
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/security_policy.html", context, status=status)


class UnlockForm(forms.Form):
    """A login name or an address to unlock."""

    username = forms.CharField(required=False, max_length=security.USERNAME_MAX)
    address = forms.CharField(required=False, max_length=45)


@login_required
@require_POST
def lockout_clear(request: HttpRequest) -> HttpResponse:
    """Clear a lockout; the page says what went."""
    if not account_access.may_clear_lockouts(request.user):
        raise PermissionDenied
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name one login name or one address to unlock."))
        return redirect("accounts:lockouts")
    try:
        security.lockout_clear(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = form.cleaned_data["username"] or form.cleaned_data["address"]
        messages.success(request, _("Unlocked: %(name)s.") % {"name": name})
    return redirect("accounts:lockouts")


class LoginRecordFilterForm(forms.Form):
    """The login records' filters: login name, event, address, a date range."""

    username = forms.CharField(label=gettext_lazy("Login name"), required=False, max_length=150)
    event = forms.ChoiceField(
        label=gettext_lazy("Event"),
        required=False,
        choices=[("", gettext_lazy("Any event")), *LoginEvent.choices],
    )
    address = forms.CharField(label=gettext_lazy("Address"), required=False, max_length=45)
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _filtered(form: LoginRecordFilterForm) -> Any:
    if not form.is_valid():
        return LoginRecord.objects.none()
    data = form.cleaned_data
    found = LoginRecord.objects.all()
    if data["username"]:
        found = found.filter(username__icontains=data["username"].strip())
    if data["event"]:
        found = found.filter(event=data["event"])
    if data["address"]:
        found = found.filter(address__startswith=data["address"].strip())
    if data["since"]:
        found = found.filter(at__date__gte=data["since"])
    if data["until"]:
        found = found.filter(at__date__lte=data["until"])
    return found


def _require_records(user: Any) -> None:
    if not account_access.may_see_login_records(user):
        raise PermissionDenied


@login_required
def login_records(request: HttpRequest) -> HttpResponse:
    """Every login, logout, failure, lockout and second-factor event, newest first."""
    _require_records(request.user)
    form = LoginRecordFilterForm(request.GET)
    page, query = page_of(request, _filtered(form), PAGE_SIZE)
    return render(
        request, "accounts/login_records.html", {"form": form, "page": page, "query": query}
    )


EXPORT_COLUMNS = [
    (gettext_lazy("Time"), 20),
    (gettext_lazy("Event"), 18),
    (gettext_lazy("Login name"), 20),
    (gettext_lazy("Address"), 18),
]


def _row(record: LoginRecord) -> list[str]:
    at = timezone.localtime(record.at).strftime("%Y-%m-%d %H:%M:%S")
    return [at, str(record.get_event_display()), record.username, record.address]


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Login records")
    sheets.append(ws, [str(h) for h, _w in EXPORT_COLUMNS])
    for i, (_h, width) in enumerate(EXPORT_COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in rows:
        sheets.append(ws, row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(h) for h, _w in EXPORT_COLUMNS])
    writer.writerows([[csv_text(v) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads it as UTF-8


@login_required
def login_records_export(request: HttpRequest) -> HttpResponse:
    """The filtered records as a workbook or CSV (?format=csv), every value as text; the
    export is itself audited."""
    _require_records(request.user)
    form = LoginRecordFilterForm(request.GET)
    rows = [_row(r) for r in _filtered(form)[:EXPORT_MAX]]
    security.login_records_export(
        by=request.user, filters=form.cleaned_data if form.is_valid() else {}, rows=len(rows)
    )
    stem = _("Login records %(date)s") % {"date": timezone.localdate().isoformat()}
    if request.GET.get("format") == "csv":
        return download(_csv(rows), "text/csv; charset=utf-8", f"{stem}.csv", private=True)
    return download(_xlsx(rows), XLSX, f"{stem}.xlsx", private=True)
