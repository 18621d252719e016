"""`kaohe demo`: the built-in scheme, the realistic 2016 demo year, and a demo login for every role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from kaohe.accounts.actions import role_grant, user_create
from kaohe.accounts.models import Role, RoleKind
from kaohe.assessment.bundle_io import year_import
from kaohe.assessment.demo_targets import demo_targets
from kaohe.engine import parse_bundle
from kaohe.org.models import Department
from kaohe.years.actions import schemes_builtin_store
from kaohe.years.models import Year

DEMO_PASSWORD = "kaohe-demo-2016"

# username, full name, role, office or department code
DEMO_USERS = [
    ("kaoheban", "考核办 王主任", RoleKind.ASSESSMENT_OFFICE, ""),
    ("zonghe", "综合处 李科员", RoleKind.OFFICE_CLERK, "ZH"),
    ("bangong", "办公室 张科员", RoleKind.OFFICE_CLERK, "BG"),
    ("renshi", "组织人事处 陈科员", RoleKind.OFFICE_CLERK, "RS"),
    ("dangwei", "机关党委 刘科员", RoleKind.OFFICE_CLERK, "DW"),
    ("jiancha", "监察室 赵科员", RoleKind.OFFICE_CLERK, "JC"),
    ("fagui", "法规处 孙科员", RoleKind.OFFICE_CLERK, "FG"),
    ("chuzhang", "处长 周处长", RoleKind.DEPARTMENT_HEAD, "*"),
    ("lianluo", "联络员 吴科员", RoleKind.DEPARTMENT_LIAISON, "*"),
    ("lingdao", "分管领导 郑副主任", RoleKind.LEADER, ""),
    ("dangzu", "党组成员 冯书记", RoleKind.PARTY_GROUP, ""),
    ("xitong", "系统管理员 钱工", RoleKind.SYSTEM_ADMIN, ""),
    ("anquan", "安全管理员 何工", RoleKind.SECURITY_ADMIN, ""),
    ("shenji", "审计管理员 许工", RoleKind.AUDIT_ADMIN, ""),
]


class Command(BaseCommand):
    """Load the demo year and demo logins; safe to run again."""

    help = "Load the 2016 scheme, the demo year and a demo login for every role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="where the server will listen, for the closing line (make run passes its own)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        from kaohe.demo import demo_bundle_document

        schemes_builtin_store(by=None)
        bundle = parse_bundle(demo_bundle_document())
        if not Year.objects.filter(year=bundle.year).exists():
            year_import(by=None, bundle=bundle)
            self.stdout.write(
                f"loaded the demo year {bundle.year}: {len(bundle.departments)} departments"
            )
        demo_department = (
            Department.objects.filter(years__year__year=bundle.year, type="service")
            .order_by("code")
            .first()
        )
        must_change = settings.KAOHE_DEMO_MUST_CHANGE
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        if must_change:
            self.stdout.write("  the shared password must be changed at each login's first use")
        users = {}
        for username, full_name, kind, scope in DEMO_USERS:
            user = users[username] = _ensure_user(username, full_name, must_change=must_change)
            department = demo_department if scope == "*" else None
            office = scope if scope != "*" else ""
            held = Role.objects.filter(user=user, kind=kind, office=office, department=department)
            if not held.exists():
                role_grant(by=None, user=user, kind=kind, office=office, department=department)
            where = f" {department.name}" if department else (f" {scope}" if scope else "")
            self.stdout.write(f"  {username:<10} {Role(kind=kind).get_kind_display()}{where}")
        if demo_department is not None:
            year = Year.objects.get(year=bundle.year)
            demo_targets(year, demo_department, users)
        self.stdout.write(_closing_line(options["address"]))


def _closing_line(address: str) -> str:
    """Where to open the site: the address itself, or this machine's when the server listens on
    every interface (0.0.0.0 is no address a browser can open)."""
    host, _, port = address.rpartition(":")
    if host not in {"0.0.0.0", "::", "[::]"}:
        return f"\nOpen http://{address}/ and log in.\n"
    return (
        f"\nOpen http://127.0.0.1:{port}/ and log in; from another computer, this machine's name "
        f"or address on port {port}, once it is listed in KAOHE_ALLOWED_HOSTS.\n"
    )


def _ensure_user(username: str, full_name: str, *, must_change: bool) -> Any:
    """The demo login, created through the accounts' action (audited, its password marked
    must-change in production mode: settings.KAOHE_DEMO_MUST_CHANGE)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user, _password = user_create(
            by=None,
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            must_change=must_change,
        )
    return user
