"""`kaohe remind [--asof DATE] [--days-before N] [--dry-run]`: send the deadline reminders due
today (kaohe/assessment/reminders.py), in the bell and by e-mail when SMTP is configured; a
scheduler runs it daily (docs/deploy.md). Running it twice sends nothing twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kaohe.assessment import reminders


class Command(BaseCommand):
    """Send the reminders of the year's deadlines."""

    help = "Send the reminders of the year's deadlines (before them and once they have passed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--asof", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--days-before", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        asof = options["asof"] or timezone.localdate()
        days = options["days_before"]
        days = settings.KAOHE_REMIND_DAYS_BEFORE if days is None else max(days, 0)
        if options["dry_run"]:
            due = reminders.reminders_due(asof, days_before=days)
        else:
            due = reminders.reminders_send(by=None, asof=asof, days_before=days)
        for r in due:
            self.stdout.write(
                f"{r.user.get_username()}\t{r.year.year}\t{r.step.step}\t"
                f"{r.step.due.isoformat()}\t{r.kind}"
            )
        verb = "due (dry run)" if options["dry_run"] else "sent"
        self.stdout.write(f"{len(due)} reminders {verb} as of {asof.isoformat()}")
