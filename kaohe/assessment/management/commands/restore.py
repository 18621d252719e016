"""`kaohe restore FILE`: an archive of `kaohe backup` put back into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.assessment.backups import backup_restore
from kaohe.core.backup import BackupError

# argparse's action, named apart so that it is not taken for an audit action's code
FLAG = "store_true"


class Command(BaseCommand):
    help = (
        "Restore a `kaohe backup` archive into an empty installation (stop the servers first); "
        "every digest is checked before anything changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to restore")
        parser.add_argument(
            "--force",
            action=FLAG,
            help="replace an installation that already holds data (everything in it is lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            manifest = backup_restore(by=None, path=path, force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"{path}: restored {len(manifest.tables)} tables, {rows} rows, "
            f"{len(manifest.files) - 1} files (backup of {manifest.created})"
        )
