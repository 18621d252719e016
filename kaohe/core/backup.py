"""One archive holds a whole installation: the database, the uploaded files and a manifest.

`kaohe backup FILE` writes a tar.gz (mode 0600, renamed into place once complete) with

    database/kaohe.sqlite3   SQLite: a copy made by SQLite's online backup API (safe while serving)
    database/kaohe.pgdump    PostgreSQL: `pg_dump -Fc` of a snapshot whose row counts the manifest has
    media/…                  every file under MEDIA_ROOT (evidence, attachments, charts)
    manifest.json            format, time, database vendor, each file's SHA-256 and size, each
                             table's row count

`kaohe restore FILE` checks every digest and size against the manifest before it touches anything,
refuses an installation that already holds data (unless forced), then puts the database and the
files back and checks each table's row count. The keys (KAOHE_SECRET_KEY, KAOHE_BALLOT_KEY) are
not in the archive: docs/backup.md says why and what is lost without them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

from kaohe.files import DATABASE_MODE, SQLITE_COMPANIONS

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/kaohe.sqlite3"
POSTGRES_MEMBER = "database/kaohe.pgdump"
MEDIA = "media/"
CHUNK = 1024 * 1024
# Filled by `migrate` itself: a freshly migrated installation is still empty.
# Tables migrate fills by itself (the audit chain's head row included): an empty installation has them.
BOOKKEEPING = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_session",
    "audit_auditchainhead",
}
MANIFEST_MAX_BYTES = 64 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on, with its reason in Chinese; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    """What an archive holds: its database vendor, its files' digests, its tables' row counts."""

    created: str
    vendor: str
    files: dict[str, dict[str, Any]]
    tables: dict[str, int]

    def to_json(self) -> bytes:
        """The manifest as stored in the archive."""
        body = {
            "format": FORMAT,
            "created": self.created,
            "database": self.vendor,
            "files": self.files,
            "tables": self.tables,
        }
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """A manifest read back; anything but this format is refused."""
        try:
            body = json.loads(raw)
            if body["format"] != FORMAT:
                raise BackupError(_("This archive was written by another version of kaohe."))
            files = {
                str(k): {"sha256": str(v["sha256"]), "size": int(v["size"])}
                for k, v in body["files"].items()
            }
            tables = {str(k): int(v) for k, v in body["tables"].items()}
            return cls(str(body["created"]), str(body["database"]), files, tables)
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError(_("The archive's manifest cannot be read.")) from None


# --- backup -------------------------------------------------------------------------------------


def backup_write(target: Path, *, alias: str = "default") -> Manifest:
    """Write the whole installation to `target` (tar.gz, mode 0600, renamed into place at the end)."""
    target = target.resolve()
    if not target.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": target.parent})
    vendor = connections[alias].vendor
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".kaohe-backup-") as staging:
        work = Path(staging)
        # The database first: a file uploaded meanwhile is then in the archive unreferenced,
        # never referenced and missing.
        if vendor == "sqlite":
            database, member, tables = _sqlite_copy(alias, work)
        elif vendor == "postgresql":
            database, member, tables = _postgres_dump(alias, work)
        else:
            raise BackupError(_("Backups support SQLite and PostgreSQL only."))
        partial = work / "archive.tar.gz"
        files: dict[str, dict[str, Any]] = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            files[member] = _add(tar, member, database)
            for path in _media_files(_media_root()):
                name = MEDIA + path.relative_to(_media_root()).as_posix()
                files[name] = _add(tar, name, path)
            created = datetime.now(UTC).isoformat(timespec="seconds")
            manifest = Manifest(created, vendor, files, tables)
            body = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            tar.addfile(info, io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    return manifest


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    """Every regular file under the media folder, in a fixed order (links are not followed)."""
    if not root.is_dir():
        return []
    found = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


class _Hashing:
    """A file read through, its SHA-256 taken on the way (tarfile reads exactly `size` bytes)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.read_bytes = handle, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.read_bytes += len(chunk)
        return chunk


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add one file to the archive; its digest and size, as the archive holds them."""
    with path.open("rb") as handle:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(handle.fileno()).st_size
        info.mode = 0o600
        info.mtime = int(os.fstat(handle.fileno()).st_mtime)
        reader = _Hashing(handle)
        tar.addfile(info, reader)  # type: ignore[arg-type]  # read() is all tarfile asks
    return {"sha256": reader.digest.hexdigest(), "size": reader.read_bytes}


def _sqlite_copy(alias: str, work: Path) -> tuple[Path, str, dict[str, int]]:
    """A consistent copy of the SQLite database while it serves, and its tables' row counts."""
    copy = work / "kaohe.sqlite3"
    source = sqlite3.connect(str(connections[alias].settings_dict["NAME"]))
    destination = sqlite3.connect(str(copy))
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        tables = sqlite_row_counts(destination)
    finally:
        destination.close()
        source.close()
    return copy, SQLITE_MEMBER, tables


def sqlite_row_counts(db: sqlite3.Connection) -> dict[str, int]:
    """Each table's row count in an SQLite database."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: int(db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}


def _pg_environment(alias: str) -> dict[str, str]:
    """libpq's variables for the configured PostgreSQL database (the password never on argv)."""
    conf = connections[alias].settings_dict
    pairs = {
        "PGDATABASE": conf.get("NAME"),
        "PGUSER": conf.get("USER"),
        "PGPASSWORD": conf.get("PASSWORD"),
        "PGHOST": conf.get("HOST"),
        "PGPORT": conf.get("PORT"),
    }
    return {**os.environ, **{k: str(v) for k, v in pairs.items() if v}}


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(tool)s was not found on PATH: install PostgreSQL's client programs "
                "(Debian: postgresql-client) of the server's version or newer."
            )
            % {"tool": name}
        )
    return found


def _postgres_dump(alias: str, work: Path) -> tuple[Path, str, dict[str, int]]:
    """`pg_dump -Fc` of one snapshot, and the row counts of that same snapshot."""
    pg_dump = _pg_tool("pg_dump")
    dump = work / "kaohe.pgdump"
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _postgres_row_counts(cursor)
        done = subprocess.run(
            [
                pg_dump,
                "-Fc",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "-f",
                str(dump),
            ],
            env=_pg_environment(alias),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()[-500:]})
    return dump, POSTGRES_MEMBER, tables


def _postgres_row_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM "{name}"')
        counts[name] = int(cursor.fetchone()[0])
    return counts


def row_counts(alias: str = "default") -> dict[str, int]:
    """Each table's row count in the configured database."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _postgres_row_counts(cursor)
        names = connection.introspection.table_names(cursor)
        counts = {}
        for name in sorted(names):
            cursor.execute(f'SELECT count(*) FROM "{name}"')
            counts[name] = int(cursor.fetchone()[0])
        return counts


# --- restore ------------------------------------------------------------------------------------


def restore_read(source: Path, *, alias: str = "default", force: bool = False) -> Manifest:
    """Put an archive's database and files back; every digest is checked before anything changes."""
    if not source.is_file():
        raise BackupError(_("The file %(file)s does not exist.") % {"file": source})
    vendor = connections[alias].vendor
    media_root = _media_root()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".kaohe-restore-") as staging:
        work = Path(staging)
        manifest = _unpack(source, work)
        if manifest.vendor != vendor:
            raise BackupError(
                _("This archive holds a %(archive)s database; this installation uses %(here)s.")
                % {"archive": manifest.vendor, "here": vendor}
            )
        if not force and not installation_empty(alias):
            raise BackupError(
                _(
                    "This installation already holds data: restore into an empty one, "
                    "or pass --force to replace everything it holds."
                )
            )
        connections[alias].close()
        if vendor == "sqlite":
            _sqlite_restore(alias, work / SQLITE_MEMBER)
        else:
            _postgres_restore(alias, work / POSTGRES_MEMBER)
        _media_swap(work / "media", media_root)
    restored = row_counts(alias)
    if restored != manifest.tables:
        raise BackupError(_("The restored tables do not have the archive's row counts."))
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    return name in {MANIFEST, SQLITE_MEMBER, POSTGRES_MEMBER} or (
        name.startswith(MEDIA) and len(path.parts) > 1
    )


def _unpack(source: Path, work: Path) -> Manifest:
    """Unpack into `work`, taking each file's digest; refuse anything the manifest does not vouch for."""
    seen: dict[str, dict[str, Any]] = {}
    raw_manifest = b""
    try:
        with tarfile.open(source, mode="r:gz") as tar:
            for member in _members(tar):
                handle = tar.extractfile(member)
                assert handle is not None  # _members yields regular files only
                if member.name == MANIFEST:
                    raw_manifest = handle.read(MANIFEST_MAX_BYTES + 1)
                    if len(raw_manifest) > MANIFEST_MAX_BYTES:
                        raise BackupError(_("The archive's manifest cannot be read."))
                    continue
                if member.size > shutil.disk_usage(work).free:
                    raise BackupError(
                        _("Not enough free disk space to unpack %(name)s.") % {"name": member.name}
                    )
                seen[member.name] = _extract(handle, work / member.name)
    except (tarfile.TarError, EOFError, OSError, UnicodeError) as error:
        raise BackupError(
            _("The file is not a readable kaohe archive: %(error)s") % {"error": error}
        ) from None
    if not raw_manifest:
        raise BackupError(_("The archive has no manifest."))
    manifest = Manifest.from_json(raw_manifest)
    if seen != manifest.files:
        wrong = sorted(
            set(seen) ^ set(manifest.files)
            | {k for k in seen if seen.get(k) != manifest.files.get(k)}
        )
        raise BackupError(
            _("The archive does not match its manifest (%(files)s); nothing was restored.")
            % {"files": "，".join(wrong[:5])}
        )
    return manifest


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    names: set[str] = set()
    for member in tar:
        if not member.isfile() or not _safe_name(member.name) or member.name in names:
            raise BackupError(
                _("The archive holds an unexpected entry: %(name)s") % {"name": member.name}
            )
        names.add(member.name)
        yield member


def _extract(handle: IO[bytes], path: Path) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def installation_empty(alias: str = "default") -> bool:
    """No data yet: every table but migrate's own bookkeeping is empty, and no file is uploaded."""
    if _media_files(_media_root()):
        return False
    if (
        connections[alias].vendor == "sqlite"
        and not Path(connections[alias].settings_dict["NAME"]).exists()
    ):
        return True
    counts = row_counts(alias)
    return all(n == 0 for table, n in counts.items() if table not in BOOKKEEPING)


def _sqlite_restore(alias: str, copy: Path) -> None:
    """Copy the archive's database over the configured one, page by page, in one step."""
    name = Path(connections[alias].settings_dict["NAME"])
    name.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(copy))
    destination = sqlite3.connect(str(name))
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("The archive's database is damaged."))
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    for suffix in SQLITE_COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{name}{suffix}", DATABASE_MODE)


def _postgres_restore(alias: str, dump: Path) -> None:
    """`pg_restore` into the configured database's emptied schema, in one transaction."""
    pg_restore = _pg_tool("pg_restore")
    # Empty (only migrate's tables, or none) or forced: either way the dump brings every table.
    with connections[alias].cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connections[alias].close()
    done = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            str(connections[alias].settings_dict["NAME"]),
            str(dump),
        ],
        env=_pg_environment(alias),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(_("pg_restore failed: %(error)s") % {"error": done.stderr.strip()[-500:]})


def _media_swap(staged: Path, media_root: Path) -> None:
    """The archive's files in place of the media folder's (renamed, so never half of each)."""
    staged.mkdir(mode=0o750, exist_ok=True)
    for folder in [staged, *(p for p in staged.rglob("*") if p.is_dir())]:
        os.chmod(folder, 0o750)
    old = media_root.with_name(f".{media_root.name}-replaced")
    if media_root.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(media_root, old)
    os.replace(staged, media_root)
    shutil.rmtree(old, ignore_errors=True)
