"""`kaohe export --year Y [-o FILE]`: write a year as a bundle."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kaohe.assessment.bundle_io import year_export
from kaohe.engine.atomic import write_output
from kaohe.years.models import Year


class Command(BaseCommand):
    """Export a year bundle (docs/bundle.md)."""

    help = "Write a year as a bundle JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output")

    def handle(self, *args: Any, **options: Any) -> None:
        year = Year.objects.filter(year=options["year"]).first()
        if year is None:
            sys.stderr.write(f"error: no year {options['year']} in this database\n")
            raise SystemExit(2)
        document, stale = year_export(year)
        for problem in stale:  # the party group's earlier decisions the data no longer fits
            sys.stderr.write(f"warning: {problem} (left out: it no longer fits the year)\n")
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        write_output(text, options.get("output"))
