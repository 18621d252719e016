"""`kaohe backup` and `kaohe restore`: every table and file back identical, digests checked first.

The year is built through the actions (drafts, evidence files, an objection with its file, a round's
ballots, a published version, audit rows, users and sessions), backed up in this process, and
restored by `kaohe restore` in another one, into a fresh data directory and a fresh database: a new
SQLite file, or on PostgreSQL (DATABASE_URL=postgres://…) a scratch database created and dropped
here. Every table is compared by row count and by a digest of its rows in primary-key order.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from kaohe.audit.choices import AuditAction
from kaohe.audit.models import AuditEvent
from kaohe.core import backup
from kaohe.ledger import actions as ledger
from kaohe.ledger.evidence import check_upload
from tests.web.conftest import World
from tests.web.results_support import hold_rounds, publish
from tests.web.test_ledger_views import PDF, confirmed, record
from tests.web.threads import POSTGRES

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        POSTGRES and shutil.which("pg_dump") is None,
        reason="backups of PostgreSQL need pg_dump and pg_restore (Debian: postgresql-client)",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
KAOHE = str(ROOT / ".venv" / "bin" / "kaohe")
OURS = {AuditAction.BACKUP_CREATE.value, AuditAction.BACKUP_RESTORE.value}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def files(*names: str) -> list[Any]:
    checked = [
        check_upload(SimpleUploadedFile(n, PDF, content_type="application/pdf"))[0] for n in names
    ]
    assert all(checked)
    return checked


def build_year(world: World) -> None:
    """A year with something in every kind of table, and files under MEDIA_ROOT."""
    hold_rounds(world.year)
    publish(world.year)
    record(world, submit=False, description="草稿")
    submitted = record(world, "1.target_unmet", period="year", files=files("通报.pdf"))
    ledger.evidence_attach(by=world.office, entry=submitted, files=files("附件.pdf"))
    objected = confirmed(world, count=3)
    ledger.objection_raise(
        by=world.head_js, entry=objected, reason="只少报一次", files=files("说明.pdf")
    )
    world.client(world.office).get("/")  # a session row


def table_digests(db: Any, vendor: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and the SHA-256 of its rows in primary-key order (our rows left out)."""
    cursor = db.cursor()
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    digests = {}
    for (table,) in sorted(cursor.fetchall()):
        if table == "audit_auditchainhead":
            continue  # the chain's head moves with our rows; `kaohe audit verify` checks it
        where = (
            " WHERE action NOT IN ('backup_create', 'backup_restore')"
            if table == "audit_auditevent"
            else ""
        )
        cursor.execute(
            f'SELECT * FROM "{table}"{where} ORDER BY {primary_key(cursor, vendor, table)}'
        )
        rows = cursor.fetchall()
        digests[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return digests


def primary_key(cursor: Any, vendor: str, table: str) -> str:
    if vendor == "sqlite":
        cursor.execute(f'PRAGMA table_info("{table}")')
        keys = [
            f'"{name}"'
            for _cid, name, _t, _n, _d, pk in sorted(cursor.fetchall(), key=lambda r: r[5])
            if pk
        ]
        return ", ".join(keys) or "rowid"
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        [f'"{table}"'],
    )
    keys = [f'"{row[0]}"' for row in cursor.fetchall()]
    return ", ".join(keys) or "1"


def file_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def source_digests() -> dict[str, tuple[int, str]]:
    if connection.vendor == "sqlite":
        with sqlite3.connect(connection.settings_dict["NAME"]) as db:
            return table_digests(db, "sqlite")
    with plain_postgres(pg_url(connection.settings_dict["NAME"])) as db:
        return table_digests(db, "postgresql")


def pg_url(name: str) -> str:
    """The test database's server, another database on it."""
    conf = connection.settings_dict
    user = f"{conf['USER']}:{conf['PASSWORD']}" if conf["PASSWORD"] else conf["USER"]
    return f"postgres://{user}@{conf['HOST']}:{conf['PORT'] or 5432}/{name}"


def plain_postgres(url: str) -> Any:
    """A psycopg connection without Django's adapters, in UTC: both sides read the same way."""
    import psycopg

    db = psycopg.connect(url, autocommit=True)
    db.execute("SET TIME ZONE 'UTC'")
    return db


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[dict[str, str], Any]]:
    """An empty installation for `kaohe restore`: its environment, and a way to open its database."""
    data = tmp_path / "fresh"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "KAOHE_MEDIA_ROOT"}
    }
    env["KAOHE_DATA_DIR"] = str(data)
    if not POSTGRES:
        env["DATABASE_URL"] = f"sqlite:///{data / 'kaohe.sqlite3'}"
        yield env, lambda: sqlite3.connect(data / "kaohe.sqlite3")
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = plain_postgres(pg_url("postgres"))
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = pg_url(name)
    opened: list[Any] = []

    def open_db() -> Any:
        opened.append(plain_postgres(env["DATABASE_URL"]))
        return opened[-1]

    try:
        yield env, open_db
    finally:
        for db in opened:
            db.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def kaohe(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KAOHE, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_restored_backup_gives_every_table_and_file_back(
    world: World, media: Path, tmp_path: Path, fresh: tuple[dict[str, str], Any]
) -> None:
    # given a year with drafts, evidence, an objection, ballots, a published version, audit rows
    build_year(world)
    archive = tmp_path / "kaohe.tar.gz"
    # when it is backed up while the installation serves
    call_command("backup", str(archive))
    # then the archive is private, and the backup has its audit row
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert AuditEvent.objects.filter(action=AuditAction.BACKUP_CREATE).count() == 1
    expected_tables = source_digests()
    expected_files = file_digests(media)
    assert len(expected_files) == 3 and expected_tables["results_publication"][0] == 1
    assert expected_tables["ballots_ballot"][0] > 0 and expected_tables["ledger_objection"][0] == 1
    env, open_db = fresh
    # when it is restored into a fresh installation by another process
    done = kaohe(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    # then every table and every file is back, identical
    vendor = "postgresql" if POSTGRES else "sqlite"
    assert table_digests(open_db(), vendor) == expected_tables
    assert file_digests(Path(env["KAOHE_DATA_DIR"]) / "media") == expected_files
    # and the restored audit trail, with the restore's own row, is one intact chain
    verified = kaohe(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # and the restore wrote its own audit row there
    db = open_db()
    actions = [
        row[0] for row in db.cursor().execute("SELECT action FROM audit_auditevent").fetchall()
    ]
    assert actions.count(AuditAction.BACKUP_RESTORE.value) == 1
    # and a second restore over it is refused in Chinese, changing nothing
    again = kaohe(env, "restore", str(archive))
    assert again.returncode != 0 and "已有数据" in again.stderr and "Traceback" not in again.stderr
    assert table_digests(open_db(), vendor) == expected_tables
    # unless forced
    forced = kaohe(env, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert table_digests(open_db(), vendor) == expected_tables


def test_the_manifest_lists_every_file_and_table(world: World, media: Path, tmp_path: Path) -> None:
    build_year(world)
    archive = tmp_path / "kaohe.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        names = tar.getnames()
    assert manifest["format"] == 1 and manifest["database"] == connection.vendor
    assert manifest["created"].endswith("+00:00")
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    media_files = {k for k in manifest["files"] if k.startswith("media/")}
    assert {k.removeprefix("media/") for k in media_files} == set(file_digests(media))
    for name, meta in manifest["files"].items():
        if name.startswith("media/"):
            content = (media / name.removeprefix("media/")).read_bytes()
            assert meta == {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    counts = {t: n for t, (n, _digest) in source_digests().items() if t != "audit_auditevent"}
    ours = ("audit_auditevent", "audit_auditchainhead")
    assert {t: n for t, n in manifest["tables"].items() if t not in ours} == counts


def tampered(archive: Path, target: Path, change: str) -> Path:
    """A copy of the archive with one media file's bytes changed, or one file added."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(target, "w:gz") as out:
        for member, content in members:
            if change == "bytes" and member.name.startswith("media/"):
                content = content[:-1] + b"X"
                change = ""
            out.addfile(member, io.BytesIO(content))
        if change == "extra":
            info = tarfile.TarInfo("media/evil.pdf")
            info.size = 3
            out.addfile(info, io.BytesIO(b"bad"))
    return target


@pytest.mark.parametrize("change", ["bytes", "extra"])
def test_a_damaged_archive_is_refused_before_anything_changes(
    world: World, tmp_path: Path, fresh: tuple[dict[str, str], Any], change: str
) -> None:
    build_year(world)
    archive = tmp_path / "kaohe.tar.gz"
    call_command("backup", str(archive))
    env, _open_db = fresh
    done = kaohe(env, "restore", str(tampered(archive, tmp_path / "bad.tar.gz", change)))
    assert done.returncode != 0 and "与其清单不符" in done.stderr and "Traceback" not in done.stderr
    data = Path(env["KAOHE_DATA_DIR"])
    assert not (data / "media").exists() and not (data / "kaohe.sqlite3").exists()


def test_what_is_not_an_archive_is_refused_in_chinese(
    tmp_path: Path, fresh: tuple[dict[str, str], Any]
) -> None:
    env, _open_db = fresh
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    for path in (junk, tmp_path / "missing.tar.gz"):
        done = kaohe(env, "restore", str(path))
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert "不是" in done.stderr or "不存在" in done.stderr


def test_an_archive_naming_a_path_outside_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as out:
        info = tarfile.TarInfo("media/../../escape.txt")
        info.size = 1
        out.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(backup.BackupError):
        backup.restore_read(archive)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_an_archive_larger_than_the_free_disk_space_is_refused(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_year(world)
    archive = tmp_path / "kaohe.tar.gz"
    call_command("backup", str(archive))
    before = source_digests()
    monkeypatch.setattr(backup.shutil, "disk_usage", lambda _path: shutil_usage(0))
    with pytest.raises(backup.BackupError, match="磁盘剩余空间不足"):
        backup.restore_read(archive, force=True)
    assert source_digests() == before


def shutil_usage(free: int) -> Any:
    return shutil._ntuple_diskusage(total=free, used=0, free=free)  # type: ignore[attr-defined]
