"""Checking uploaded files by their content, not their name (kaohe.core.uploads).

Every upload of the product goes through check_upload: evidence of entries and objections, the
files of adjustments and vetoes, the batch workbook.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kaohe.core.filenames import typed_name, visible_name
from kaohe.core.uploads import ARCHIVE, MACROS, detect


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: what its bytes say it is, and the safe name it is
    stored and served under (its extension that of its type)."""

    upload: UploadedFile
    content_type: str
    sha256: str
    size: int
    name: str


def _refusal(why: str, name: str) -> str:
    if why == MACROS:
        return _(
            "File %(name)s contains macros and cannot be uploaded; save it without macros "
            "(.docx, .xlsx) or as PDF."
        ) % {"name": name}
    if why == ARCHIVE:
        return _(
            "File %(name)s is an archive or carries other files inside; upload the documents "
            "themselves."
        ) % {"name": name}
    return _(
        "File %(name)s is not a PDF, a JPG or PNG image, a Word, Excel or OFD document "
        "(checked by its content)."
    ) % {"name": name}


def check_upload(upload: UploadedFile) -> tuple[CheckedFile | None, str]:
    """Accept PDF, images, Word, Excel and OFD up to the size limit; else a plain Chinese reason."""
    name = visible_name(upload.name or "")  # shown in messages: no right-to-left override
    if upload.size is None or upload.size == 0:
        return None, _("File %(name)s is empty.") % {"name": name}
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        return None, _("File %(name)s is larger than %(limit)s MB.") % {
            "name": name,
            "limit": limit,
        }
    file_type, why = detect(upload)
    if file_type is None:
        return None, _refusal(why, name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = typed_name(upload.name or "", file_type)
    return CheckedFile(upload, file_type.content_type, digest.hexdigest(), upload.size, stored), ""


def checked_uploads(uploads: Iterable[UploadedFile]) -> list[CheckedFile]:
    """Every upload checked by check_upload; ValidationError with the reason for each refused."""
    checked, problems = [], []
    for upload in uploads:
        ok, why = check_upload(upload)
        if ok is None:
            problems.append(why)
        else:
            checked.append(ok)
    if problems:
        raise ValidationError(problems)
    return checked
