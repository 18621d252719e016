"""The password rules of issue 14 (等保2.0 level 3), beside Django's own validators
(settings.AUTH_PASSWORD_VALIDATORS): a minimum length, three classes of characters, not the login
name, not one of the last five, and a maximum age after which the next page is the change page.
The numbers are the security policy's (kaohe/accounts/policy.py) unless a validator is given its
own."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.accounts.models import PasswordHistory, Profile
from kaohe.accounts.policy import current_policy

CLASSES = (
    (str.isupper, "upper"),
    (str.islower, "lower"),
    (str.isdigit, "digit"),
)


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols the password uses."""
    used = {name for test, name in CLASSES for c in password if test(c) and c.isascii()}
    if any(not (c.isascii() and c.isalnum()) for c in password):
        used.add("symbol")
    return len(used)


class MinimumLengthValidator:
    """At least `min_length` characters (Django's own words it with a plural form that its
    Chinese catalogue of this version lacks)."""

    def __init__(self, min_length: int | None = None) -> None:
        self.given = min_length

    @property
    def min_length(self) -> int:
        return self.given or current_policy().password_min_length

    def validate(self, password: str, user: Any = None) -> None:
        n = self.min_length
        if len(password) < n:
            raise ValidationError(
                _("The password is too short: at least %(n)s characters.") % {"n": n},
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("At least %(n)s characters.") % {"n": self.min_length}


class CharacterClassesValidator:
    """At least three of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int | None = None) -> None:
        self.given = min_classes

    @property
    def min_classes(self) -> int:
        return self.given or current_policy().password_classes

    def validate(self, password: str, user: Any = None) -> None:
        n = self.min_classes
        if character_classes(password) < n:
            raise ValidationError(
                _(
                    "The password must use at least %(n)s of: upper-case letters, lower-case "
                    "letters, digits, symbols."
                )
                % {"n": n},
                code="password_too_few_classes",
            )

    def get_help_text(self) -> str:
        return _("At least %(n)s of: upper-case letters, lower-case letters, digits, symbols.") % {
            "n": self.min_classes
        }


class NotUsernameValidator:
    """The password neither contains the login name nor is contained in it."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        lowered = password.lower()
        if len(username) >= 3 and (username in lowered or lowered in username):
            raise ValidationError(
                _("The password must not contain the login name."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("It must not contain the login name.")


class HistoryValidator:
    """Not the current password nor one of the last `count` (their hashes are kept)."""

    def __init__(self, count: int | None = None) -> None:
        self.given = count

    @property
    def count(self) -> int:
        return self.given or current_policy().password_history

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        n = self.count
        kept = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
        hashes = list(kept[:n])
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("The password must differ from the last %(n)s passwords.") % {"n": n},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("It must differ from the last %(n)s passwords.") % {"n": self.count}


def max_age(user: Any = None) -> timedelta | None:
    """How long a password lasts (the policy's maximum age; 0, from the environment: for ever)."""
    days = current_policy(user).password_max_age_days
    return timedelta(days=days) if days > 0 else None


def profile_of(user: Any) -> Profile | None:
    """The account's profile, None for one made before profiles (or by Django's own commands);
    loaded with the user by kaohe.accounts.backends, so asking costs no query."""
    try:
        return user.kaohe_profile  # type: ignore[no-any-return]
    except Profile.DoesNotExist:
        return None


def password_change_due(user: Any) -> bool:
    """Whether the account must change its password before anything else: it was set by an
    administrator (or the demo), or it is older than the maximum age."""
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.must_change_password:
        return True
    limit = max_age(user)
    changed = profile.password_changed_at
    return limit is not None and changed is not None and timezone.now() - changed > limit


ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
SYMBOLS = "-_.!@#%+="


def generated_password(length: int = 14) -> str:
    """A random password that meets the rules: letters of both cases, digits and a symbol."""
    while True:
        body = [secrets.choice(ALPHABET) for _i in range(length - 2)]
        body.insert(secrets.randbelow(len(body) + 1), secrets.choice(SYMBOLS))
        body.insert(secrets.randbelow(len(body) + 1), secrets.choice("23456789"))
        password = "".join(body)
        if character_classes(password) == 4:
            return password
