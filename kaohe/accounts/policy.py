"""The security policy in force (issue 14): lockout, password and session rules, and who must
use a second factor. The 安全管理员 changes it on the security settings page
(`actions.security_policy_update`, each change a new `SecurityPolicy` row); until the first
change the environment's values are the policy (settings.py, docs/deploy.md).

Reading it is cheap: the request's user is loaded with the current version's id in the same
query (kaohe.accounts.backends), and a version already read is kept in this process, so a page
costs no query for it; a login, a password change or a lockout check reads the newest row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kaohe.accounts.models import RoleKind, SecurityPolicy

# Those who must use a second factor whatever the policy says (issue 14, 等保 level 3): those who
# decide and publish the results, and the three administrators who run the system.
SECOND_FACTOR_FLOOR = frozenset(
    {
        RoleKind.ASSESSMENT_OFFICE,
        RoleKind.PARTY_GROUP,
        RoleKind.SYSTEM_ADMIN,
        RoleKind.SECURITY_ADMIN,
        RoleKind.AUDIT_ADMIN,
    }
)

# What the page accepts, inclusive. The lower ends are the floor where it names one
# (10 characters, 3 classes, the last 5 passwords); the rest keep a level-3 system usable.
BOUNDS: dict[str, tuple[int, int]] = {
    "lockout_failures": (3, 10),
    "lockout_address_failures": (3, 100),
    "lockout_minutes": (5, 1440),
    "password_min_length": (10, 64),
    "password_classes": (3, 4),
    "password_max_age_days": (7, 180),
    "password_history": (5, 24),
    "session_idle_minutes": (5, 120),
    "session_max_hours": (1, 24),
}

# The request's user carries the current version under this name (None: no row yet).
VERSION_ATTR = "kaohe_policy_version"


@dataclass(frozen=True)
class Policy:
    """The security settings in force."""

    lockout_failures: int
    lockout_address_failures: int
    lockout_minutes: int
    password_min_length: int
    password_classes: int
    password_max_age_days: int  # 0 (the environment's only): passwords never expire
    password_history: int
    session_idle_minutes: int
    session_max_hours: int
    second_factor_roles: frozenset[str]

    def values(self) -> dict[str, Any]:
        """The policy as the audit trail and the model keep it (the roles sorted)."""
        out = asdict(self)
        out["second_factor_roles"] = sorted(self.second_factor_roles)
        return out


def env_policy() -> Policy:
    """The environment's policy (settings.py), in force until the first change on the page."""
    roles = set(settings.KAOHE_SECOND_FACTOR_ROLES) & set(RoleKind.values)
    return Policy(
        lockout_failures=settings.KAOHE_LOCKOUT_FAILURES,
        lockout_address_failures=settings.KAOHE_LOCKOUT_ADDRESS_FAILURES,
        lockout_minutes=settings.KAOHE_LOCKOUT_MINUTES,
        password_min_length=settings.KAOHE_PASSWORD_MIN_LENGTH,
        password_classes=settings.KAOHE_PASSWORD_CLASSES,
        password_max_age_days=settings.KAOHE_PASSWORD_MAX_AGE_DAYS,
        password_history=settings.KAOHE_PASSWORD_HISTORY,
        session_idle_minutes=settings.KAOHE_SESSION_IDLE_MINUTES,
        session_max_hours=settings.KAOHE_SESSION_MAX_HOURS,
        second_factor_roles=frozenset(roles | SECOND_FACTOR_FLOOR),
    )


def row_policy(row: SecurityPolicy) -> Policy:
    """A stored version as the policy (the floor always among the second factor's roles)."""
    values = {name: getattr(row, name) for name in BOUNDS}
    roles = frozenset(str(r) for r in row.second_factor_roles) | SECOND_FACTOR_FLOOR
    return Policy(**values, second_factor_roles=roles)


_versions: dict[str, Policy] = {}  # the versions this process has read, by version
_VERSIONS_KEPT = 32


def current_policy(user: Any = None) -> Policy:
    """The policy in force; given the request's user, without a query once its version is known."""
    if user is not None and hasattr(user, VERSION_ATTR):
        version = getattr(user, VERSION_ATTR)
        if version is None:
            return env_policy()
        if (known := _versions.get(str(version))) is not None:
            return known
    row = SecurityPolicy.objects.order_by("-id").first()
    if row is None:
        return env_policy()
    found = row_policy(row)
    if len(_versions) >= _VERSIONS_KEPT:
        _versions.clear()
    _versions[str(row.version)] = found
    return found


# django-axes reads these (settings.AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME, AXES_HANDLER).


def axes_failure_limit(request: HttpRequest | None, credentials: Any = None) -> int:
    """Failures of one login name before it is locked out."""
    return current_policy().lockout_failures


def axes_cool_off(request: HttpRequest | None = None) -> timedelta:
    """How long a lockout lasts unless the security administrator clears it."""
    return timedelta(minutes=current_policy().lockout_minutes)


class PolicyAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes's database handler with a limit of its own for an address: a login name locks after
    `lockout_failures`, an address (many names tried from one place, or one office's shared
    address) after `lockout_address_failures`."""

    def get_failures(self, request: HttpRequest, credentials: Any = None) -> int:
        """The failures as axes compares them with the login name's limit: at or above it when
        either the name or the address is locked out, below it otherwise."""
        limit = get_failure_limit(request, credentials)
        counts: dict[str, int] = {}
        parameters = get_lockout_parameters(request, credentials)
        found = self.get_user_attempts(request, credentials)
        for parameter, attempts in zip(parameters, found, strict=True):
            total = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            counts[str(parameter)] = int(total)
        by_name, by_address = counts.get("username", 0), counts.get("ip_address", 0)
        if by_name >= limit or by_address >= current_policy().lockout_address_failures:
            return max(by_name, limit)
        return min(max(by_name, by_address), limit - 1)

    def reset_user_attempts(self, request: HttpRequest, credentials: Any = None) -> int:
        """A successful login forgets its own login name's failures, not its address's: else
        whoever holds one account could clear, between guesses, what the address has tried."""
        username = get_client_username(request, credentials)
        return int(AccessAttempt.objects.filter(username=username).delete()[0])


def _bounds_problem(name: str, value: Any) -> str:
    """What is wrong with one number of the policy ("" when it is within its bounds)."""
    low, high = BOUNDS[name]
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return ""
    return _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}


def checked_policy(values: dict[str, Any]) -> Policy:
    """The policy these values make, the second factor's floor always in; ValidationError by
    field when a number is out of its bounds or a role unknown."""
    problems = {name: [p] for name in BOUNDS if (p := _bounds_problem(name, values.get(name)))}
    roles = {str(r) for r in values.get("second_factor_roles") or ()}
    if not roles <= set(RoleKind.values):
        problems["second_factor_roles"] = [_("Choose roles from the list.")]
    if not problems and values["session_idle_minutes"] > values["session_max_hours"] * 60:
        text = _("The idle timeout must not be longer than the session's lifetime.")
        problems["session_idle_minutes"] = [text]
    if problems:
        raise ValidationError(problems)
    numbers = {name: values[name] for name in BOUNDS}
    return Policy(**numbers, second_factor_roles=frozenset(roles) | SECOND_FACTOR_FLOOR)
