"""`kaohe audit verify`: check the audit trail's hash chain and its database guards."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kaohe.audit.verify import chain_check


class Command(BaseCommand):
    """`verify`: exit 0 "chain intact, N rows"; exit 1 naming the first broken row."""

    help = "The audit trail: `verify` checks every row's hash and its link to the row before."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="check the hash chain and the append-only guards")

    def handle(self, *args: Any, **options: Any) -> None:
        check = chain_check()
        if check.broken is not None:
            self.stderr.write(f"error: chain broken at {check.broken.text()}")
        for name in check.missing_guards:
            self.stderr.write(f"error: database guard {name} is missing or disabled")
        if not check.holds:
            raise SystemExit(1)
        self.stdout.write(f"chain intact, {check.rows} rows; database guards in place")
