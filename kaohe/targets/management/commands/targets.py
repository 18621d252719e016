"""`kaohe targets propose --year Y [--asof DATE]`: every report missing after its deadline (and,
after the year end's, every target not met) becomes a proposed draft entry in the recording
office's queue; running it again proposes nothing twice. Also `kaohe targets missing`."""

from __future__ import annotations

import datetime
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kaohe.targets import actions, selectors
from kaohe.years.models import Year


class Command(BaseCommand):
    """Proposals from the year's targets, or the list of missing reports."""

    help = "Propose item-1 entries from missing reports and unmet targets, or list what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["propose", "missing"])
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--asof", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        year = Year.objects.filter(year=options["year"]).first()
        if year is None:
            sys.stderr.write(f"error: no year {options['year']} in this database\n")
            raise SystemExit(2)
        asof = options["asof"] or timezone.localdate()
        if options["what"] == "missing":
            for m in selectors.missing_reports(year, asof):
                code = m.target.department.code
                self.stdout.write(f"{code}\t{m.target.number}\t{m.key}\t{m.deadline.isoformat()}")
            return
        made = actions.proposals_make(by=None, year=year, asof=asof)
        for p in made:
            self.stdout.write(f"{p.entry.ref}\t{p.target.department.code}\t{p.rule_id}\t{p.key}")
        self.stdout.write(f"{len(made)} proposed as of {asof.isoformat()}")
