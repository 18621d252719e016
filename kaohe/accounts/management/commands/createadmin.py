"""`kaohe createadmin`: a new installation's first administrators (三员分立), each audited.

kaohe createadmin                                   # sysadmin, secadmin, auditadmin
kaohe createadmin --role system_admin --username wang --full-name 王工
kaohe createadmin --prompt                          # type each password instead of generating

Each password is generated (and printed once) unless --prompt asks for it; every account must
change its password at the first login.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from kaohe.accounts.actions import role_grant, user_create
from kaohe.accounts.models import RoleKind

FLAG = "store_true"  # argparse: an option without a value

DEFAULTS = {
    RoleKind.SYSTEM_ADMIN: ("sysadmin", "系统管理员"),
    RoleKind.SECURITY_ADMIN: ("secadmin", "安全管理员"),
    RoleKind.AUDIT_ADMIN: ("auditadmin", "审计管理员"),
}


class Command(BaseCommand):
    """The first system, security and audit administrators; then they create the real users."""

    help = "Create the first administrators (system, security, audit), or one of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", choices=[str(k) for k in DEFAULTS], help="only this one")
        parser.add_argument("--username", help="login name (with --role)")
        parser.add_argument("--full-name", default="", help="full name (with --role)")
        parser.add_argument("--prompt", action=FLAG, help="type the passwords")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["username"] and not options["role"]:
            raise CommandError("--username needs --role")
        kinds = [RoleKind(options["role"])] if options["role"] else list(DEFAULTS)
        try:
            with transaction.atomic():
                made = [self._create(kind, options) for kind in kinds]
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for username, kind, password in made:
            shown = password if not options["prompt"] else "(as typed)"
            self.stdout.write(f"{username:<12} {kind.label}  password: {shown}")
        self.stdout.write("Each must change the password at the first login.")

    def _create(self, kind: RoleKind, options: dict[str, Any]) -> tuple[str, RoleKind, str]:
        username, full_name = DEFAULTS[kind]
        if options["role"]:
            username = options["username"] or username
            full_name = options["full_name"] or full_name
        password = self._typed(username) if options["prompt"] else ""
        user, password = user_create(
            by=None, username=username, full_name=full_name, password=password
        )
        role_grant(by=None, user=user, kind=kind)
        return username, kind, password

    def _typed(self, username: str) -> str:
        first = getpass.getpass(f"Password for {username}: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("the two passwords differ")
        return first
