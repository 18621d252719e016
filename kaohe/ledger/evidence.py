"""Checking uploaded evidence by its content, not its name."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what its bytes say it is."""

    upload: UploadedFile
    content_type: str
    sha256: str
    size: int


def sniff(head: bytes, upload: UploadedFile) -> str | None:
    """The content type the file's bytes show, among the accepted ones; None if not accepted."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(OLE2):
        name = (upload.name or "").lower()
        return "application/vnd.ms-excel" if name.endswith(".xls") else "application/msword"
    if head.startswith(b"PK\x03\x04"):
        return _office_zip(upload)
    return None


def _office_zip(upload: UploadedFile) -> str | None:
    try:
        upload.seek(0)
        names = set(zipfile.ZipFile(upload).namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def check_upload(upload: UploadedFile) -> tuple[CheckedFile | None, str]:
    """Accept PDF, images, Word and Excel up to the size limit; else a plain Chinese reason."""
    name = upload.name or ""
    if upload.size is None or upload.size == 0:
        return None, _("File %(name)s is empty.") % {"name": name}
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        return None, _("File %(name)s is larger than %(limit)s MB.") % {
            "name": name,
            "limit": limit,
        }
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head, upload)
    if content_type is None:
        return None, _(
            "File %(name)s is not a PDF, image, Word or Excel file (checked by its content)."
        ) % {"name": name}
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, content_type, digest.hexdigest(), upload.size), ""
