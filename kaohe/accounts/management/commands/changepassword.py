"""`kaohe changepassword NAME`: Django's command of the same name, replaced (kaohe.accounts is
listed before django.contrib.auth, so this one is found first) so that the command line keeps
the same rules as the pages: the password rules of the security policy, the history of earlier
passwords, the must-change flag, the sessions' end, and an audit row (by=None, a reset by whoever
holds the server). Django's own wrote the hash alone.

kaohe changepassword wang            # type the new password twice
kaohe changepassword wang --generate # a generated one, printed once

The owner changes it at the next login, as after a reset on the accounts page.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.accounts.actions import user_password_reset

FLAG = "store_true"  # argparse: an option without a value
TRIES = 3


class Command(BaseCommand):
    """Reset an account's password from the command line, through `user_password_reset`."""

    help = "Change a user's password (the password rules, history and audit trail apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="login name")
        parser.add_argument("--generate", action=FLAG, help="generate the password, print it")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no account named {options['username']!r}")
        if options["generate"]:
            password = self._reset(user, "")
            self.stdout.write(f"{user.username}  password: {password}")
        else:
            for attempt in range(TRIES):
                try:
                    self._reset(user, self._typed(user.username))
                    break
                except CommandError as error:
                    if attempt == TRIES - 1:
                        raise
                    self.stderr.write(str(error))
        self.stdout.write(f"Password of {user.username} changed; it must be changed at next login.")

    def _reset(self, user: Any, password: str) -> str:
        try:
            return user_password_reset(by=None, user=user, password=password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None

    def _typed(self, username: str) -> str:
        first = getpass.getpass(f"New password for {username}: ")
        if not first:
            raise CommandError("the password is empty (use --generate for a generated one)")
        if first != getpass.getpass("Again: "):
            raise CommandError("the two passwords differ")
        return first
