"""Backing up and restoring the whole installation (kaohe/core/backup.py), each audited.

Only the command line calls these (`kaohe backup`, `kaohe restore`, by=None: the administrator on
the server): an archive holds every ballot and password hash, so no page offers it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction

from kaohe.audit.actions import audit_record
from kaohe.audit.choices import AuditAction, AuditTarget
from kaohe.core import backup
from kaohe.core.backup import Manifest


def _summary(path: Path, manifest: Manifest) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(backup.CHUNK):
            digest.update(chunk)
    return {
        "file": path.name,
        "sha256": digest.hexdigest(),
        "created": manifest.created,
        "database": manifest.vendor,
        "files": len(manifest.files),
        "rows": sum(manifest.tables.values()),
    }


def backup_create(*, by: Any, path: Path) -> Manifest:
    """Write the installation to an archive at `path`; the audit row names it and its digest."""
    manifest = backup.backup_write(path)
    with transaction.atomic():
        audit_record(
            by=by,
            action=AuditAction.BACKUP_CREATE,
            target_type=AuditTarget.BACKUP,
            target_id=manifest.created,
            after=_summary(path, manifest),
        )
    return manifest


def backup_restore(*, by: Any, path: Path, force: bool = False) -> Manifest:
    """Replace the (empty, or forced) installation by the archive's; then record that it was."""
    manifest = backup.restore_read(path, force=force)
    with transaction.atomic():
        audit_record(
            by=by,
            action=AuditAction.BACKUP_RESTORE,
            target_type=AuditTarget.BACKUP,
            target_id=manifest.created,
            after={**_summary(path, manifest), "forced": force},
        )
    return manifest
