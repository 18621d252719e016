"""People's roles: several per person, each scoped to an office or a department."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaohe.constants import RoleKind

OFFICE_NAMES = {
    "ZH": _("Comprehensive Office (综合处)"),
    "BG": _("General Office (办公室)"),
    "RS": _("Organisation and Personnel (组织人事处)"),
    "DW": _("Party Committee of the Organ (机关党委)"),
    "JC": _("Supervision Office (监察室)"),
    "FG": _("Legal Affairs (法规处)"),
}


class Role(models.Model):
    """One role of one person: a clerk names the office, a head or liaison the department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=32, choices=RoleKind.choices)
    office = models.CharField(_("office"), max_length=8, blank=True)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "office", "department"], name="role_unique"
            ),
            models.CheckConstraint(
                condition=~Q(kind="office_clerk") | ~Q(office=""), name="clerk_has_office"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["department_head", "department_liaison"])
                | Q(department__isnull=False),
                name="department_role_has_department",
            ),
        ]

    def __str__(self) -> str:
        scope = self.office or (self.department.name if self.department else "")
        return f"{self.get_kind_display()} {scope}".strip()


class Profile(models.Model):
    """What kaohe keeps about an account beyond Django's user: the password's age and whether
    it must be changed before anything else (an initial or reset password, the demo's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kaohe_profile"
    )
    must_change_password = models.BooleanField(_("must change the password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Raised when the account's second factor is enrolled or reset: its sessions that logged in
    # under an older value end at their next request (kaohe/accounts/middleware.py).
    session_epoch = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """A password an account had (its hash only), so that the last few are not used again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d}"


class SecurityPolicy(models.Model):
    """One version of the security settings the 安全管理员 edits (lockout, password and session
    policy, who must use a second factor); the newest row is in force, the older ones are its
    history. With no row yet, the environment's values are (kaohe/accounts/policy.py)."""

    # A new random value per version: what the request's user query carries to say which
    # version is current (kaohe.accounts.backends), and never reused, unlike an id.
    version = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    lockout_failures = models.PositiveSmallIntegerField(_("failures before an account locks"))
    lockout_address_failures = models.PositiveSmallIntegerField(
        _("failures before an address locks")
    )
    lockout_minutes = models.PositiveIntegerField(_("lockout (minutes)"))
    password_min_length = models.PositiveSmallIntegerField(_("minimum password length"))
    password_classes = models.PositiveSmallIntegerField(_("character classes required"))
    password_max_age_days = models.PositiveSmallIntegerField(_("maximum password age (days)"))
    password_history = models.PositiveSmallIntegerField(_("earlier passwords not reused"))
    session_idle_minutes = models.PositiveSmallIntegerField(_("idle timeout (minutes)"))
    session_max_hours = models.PositiveSmallIntegerField(_("session lifetime (hours)"))
    second_factor_roles = models.JSONField(_("roles that must use a second factor"), default=list)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class LoginEvent(models.TextChoices):
    """What a login record records: the login itself, its failures and its second factor."""

    LOGIN = "login", _("Logged in")
    LOGOUT = "logout", _("Logged out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    FAILURE = "failure", _("Wrong login name or password")
    LOCKOUT = "lockout", _("Locked out")
    LOCKOUT_CLEARED = "lockout_cleared", _("Lockout cleared")
    OTP_PASSED = "otp_passed", _("Second factor passed")
    OTP_FAILED = "otp_failed", _("Second factor failed")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    OTP_ENROLLED = "otp_enrolled", _("Second factor enrolled")
    OTP_RESET = "otp_reset", _("Second factor reset")


class LoginRecord(models.Model):
    """One login, logout, failure, lockout or second-factor event; rows are only ever added."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    event = models.CharField(_("event"), max_length=24, choices=LoginEvent.choices)
    # The login name as typed (a failure may name no account), and the account when known.
    username = models.CharField(_("login name"), max_length=150, db_index=True)
    # No constraint and nothing done on delete: a record is never changed, and the login name
    # above stays the evidence should the account ever go (the application deletes none).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=45, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.event} {self.username}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Only ever added: a stored record is never changed."""
        if self.pk is not None and not self._state.adding:
            raise ValueError("login records are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Notification(models.Model):
    """A message to one account inside the application (the bell): a reminder of a deadline."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
