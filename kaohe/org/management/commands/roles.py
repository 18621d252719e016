"""`kaohe roles`: list, grant and revoke roles from the server's command line, each audited.

kaohe roles                                   # every role, by user
kaohe roles grant wang department_head --department JS
kaohe roles grant li office_clerk --office ZH
kaohe roles revoke wang department_head --department JS
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.accounts.actions import role_grant, role_revoke
from kaohe.accounts.models import Role, RoleKind
from kaohe.org.models import Department


class Command(BaseCommand):
    """Roles decide what a login may do; granting them is the administrator's work."""

    help = (
        "List roles, or grant or revoke one (audited; the command line acts as the administrator)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", nargs="?", choices=["list", "grant", "revoke"], default="list")
        parser.add_argument("username", nargs="?")
        parser.add_argument("kind", nargs="?", choices=RoleKind.values)
        parser.add_argument(
            "--office", default="", help="a clerk's office (ZH, BG, RS, DW, JC, FG)"
        )
        parser.add_argument(
            "--department", default="", help="a head's or liaison's department code"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "list":
            self._list()
            return
        if not (options["username"] and options["kind"]):
            raise CommandError(f"{options['verb']} needs a username and a role kind")
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        scope = {"office": options["office"], "department": self._department(options)}
        try:
            if options["verb"] == "grant":
                role_grant(by=None, user=user, kind=options["kind"], **scope)
            else:
                role_revoke(by=None, role=self._role(user, options["kind"], scope))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{options['verb']}: {user.username} {options['kind']}")

    def _department(self, options: dict[str, Any]) -> Department | None:
        if not options["department"]:
            return None
        found = Department.objects.filter(code=options["department"]).first()
        if found is None:
            raise CommandError(f"no department {options['department']!r}")
        return found

    def _role(self, user: Any, kind: str, scope: dict[str, Any]) -> Role:
        found = Role.objects.filter(user=user, kind=kind, **scope).first()
        if found is None:
            raise CommandError(f"{user.username} does not hold that role")
        return found

    def _list(self) -> None:
        for role in Role.objects.select_related("user", "department").order_by("user__username"):
            scope = role.office or (role.department.code if role.department else "")
            self.stdout.write(f"{role.user.username:<16} {role.kind:<20} {scope}")
