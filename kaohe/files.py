"""File modes of what kaohe keeps on disk: the database, evidence, logs are not world-readable.

Every entry point (the `kaohe` command, kaohe.wsgi) sets a umask of 027 before Django starts, so
files are created 0640 and directories 0750; the SQLite database and its -wal/-shm files, which
hold every ballot and entry, are made 0600 whenever a connection opens them (also when they were
created before, with a wider mode). Uploads are written with FILE_UPLOAD_PERMISSIONS (0640) in
directories of FILE_UPLOAD_DIRECTORY_PERMISSIONS (0750).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

UMASK = 0o027
DATABASE_MODE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def restrict_umask() -> None:
    """Files this process creates from now on: 0640 at most, directories 0750 at most."""
    os.umask(UMASK)


def restrict(path: Path, mode: int) -> None:
    """Narrow an existing file's mode to `mode` (never widen it); a missing file is left alone."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & ~mode:
        os.chmod(path, current & mode)


def sqlite_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: the SQLite database file and its companions, 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in SQLITE_COMPANIONS:
        restrict(Path(name + suffix), DATABASE_MODE)


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    prefix: str = "",
) -> dict[str, Any]:
    """The STORAGES entry that keeps uploads in an S3-compatible bucket (django-storages).

    Files keep the names kaohe gives them (`evidence/ab/<uuid>`, never a user's), are private
    (no ACL: the bucket's, which must not be public) and are only ever served through kaohe's
    views, which check access; nothing is overwritten. An empty key uses boto3's own lookup
    (instance role, ~/.aws); an endpoint (MinIO, a cloud's S3 service) is addressed by path.
    """
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "signature_version": "s3v4",
    }
    if endpoint_url:
        options |= {"endpoint_url": endpoint_url, "addressing_style": "path"}
    if access_key:
        options |= {"access_key": access_key, "secret_key": secret_key}
    if region:
        options["region_name"] = region
    if prefix:
        options["location"] = prefix.strip("/")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
