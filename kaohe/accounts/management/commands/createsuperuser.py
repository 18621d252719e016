"""`kaohe createsuperuser`: Django's command of the same name, replaced (kaohe.accounts is listed
before django.contrib.auth) so that a superuser, for installation and emergencies only, is made
by the audited action `superuser_create` under the password rules and history of every account
(Django's own skipped the rules with --noinput and wrote no audit row).

kaohe createsuperuser --username root             # type the password twice
kaohe createsuperuser --username root --noinput   # a generated password, printed once

The superuser changes the password at the first login; every login of it is audited.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.accounts.actions import superuser_create

FLAG = "store_true"  # argparse: an option without a value


class Command(BaseCommand):
    """Create a superuser through `superuser_create`."""

    help = "Create a superuser (installation and emergencies only; audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="login name")
        parser.add_argument("--noinput", "--no-input", action=FLAG, help="generate the password")

    def handle(self, *args: Any, **options: Any) -> None:
        password = "" if options["noinput"] else self._typed(options["username"])
        try:
            user, password = superuser_create(
                by=None, username=options["username"], password=password
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        shown = password if options["noinput"] else "(as typed)"
        self.stdout.write(f"Superuser {user.username} created, password: {shown}")
        self.stdout.write("It must be changed at the first login; every login is audited.")

    def _typed(self, username: str) -> str:
        first = getpass.getpass(f"Password for {username}: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("the two passwords differ")
        return first
