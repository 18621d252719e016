"""`kaohe ballots_vacuum`: remove the old row versions that closing rounds left in the database files."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from kaohe.ballots.actions import rounds_vacuum
from kaohe.ballots.models import Round


class Command(BaseCommand):
    """Run the cleanup after closing again (docs/ballots.md); harmless to repeat."""

    help = "VACUUM the ballot tables so that no old copy of a closed round's rows remains."

    def handle(self, *args: Any, **options: Any) -> None:
        cleaned = rounds_vacuum(by=None)
        pending = Round.objects.filter(vacuum_pending=True).count()
        if pending:
            sys.stderr.write(f"error: VACUUM failed (see the log); {pending} round(s) pending\n")
            raise SystemExit(2)
        self.stdout.write(f"ballot tables vacuumed; {len(cleaned)} pending round(s) cleaned\n")
