"""`kaohe import BUNDLE`: load a year from a bundle, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kaohe.assessment.bundle_io import year_import
from kaohe.assessment.management.commands._common import report_invalid
from kaohe.engine import parse_bundle_bytes
from kaohe.engine.problems import InvalidInput


class Command(BaseCommand):
    """Import a year bundle (docs/bundle.md); a bad bundle changes nothing."""

    help = "Load a year from a bundle JSON file (or - for standard input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["bundle"]
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            sys.stderr.write(f"error: {exc.strerror}: {path}\n")
            raise SystemExit(2) from None
        try:
            bundle = parse_bundle_bytes(data)
            year = year_import(by=None, bundle=bundle)
        except InvalidInput as exc:
            report_invalid(exc)
        self.stdout.write(
            f"imported year {year.year}: {len(bundle.departments)} departments, "
            f"{len(bundle.entries)} entries, {len(bundle.ballots)} ballots"
        )
