"""`kaohe backup FILE`: the database, the uploaded files and a manifest, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaohe.assessment.backups import backup_create
from kaohe.core.backup import BackupError


class Command(BaseCommand):
    help = "Write the whole installation (database, uploaded files, manifest) to a .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the archive to write (replaced if it exists)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            manifest = backup_create(by=None, path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"{path}: {manifest.vendor}, {len(manifest.tables)} tables, {rows} rows, "
            f"{len(manifest.files) - 1} files"
        )
