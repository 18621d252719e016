"""Uploaded scans: PDF pages or images, bounded in size and number, checked by their content.

File names are never used; the type is told by the content's first bytes, not by the name.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import cv2
import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

MAX_FILE = 20 * 1024 * 1024  # one file
MAX_TOTAL = 60 * 1024 * 1024  # one upload
MAX_PAGES = 60  # pages of one upload: a few minutes of reading on two cores
MAX_PIXELS = 40_000_000  # an A4 page at 600 dpi is 35 million
SCAN_DPI = 150  # PDF pages are rendered at this resolution


def _kind(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _image(data: bytes) -> Any:
    """A grey image from PNG or JPEG bytes; refused beyond MAX_PIXELS (decompression bombs)."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        width = height = 0
    if not 0 < width * height <= MAX_PIXELS:
        raise ValidationError(_("An image could not be read, or is larger than 40 megapixels."))
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ValidationError(_("An image could not be read, or is larger than 40 megapixels."))
    return image


def _pdf_pages(data: bytes, room: int) -> list[Any]:
    """The pages of a PDF as grey images, at most `room` of them."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise ValidationError(_("A PDF file could not be read.")) from None
    if len(document) > room:
        raise ValidationError(_("At most %(n)s pages per upload.") % {"n": MAX_PAGES})
    pages = []
    for page in document:
        width, height = page.get_size()
        if width * height * (SCAN_DPI / 72) ** 2 > MAX_PIXELS:
            raise ValidationError(_("A PDF page is larger than A3."))
        rendered = page.render(scale=SCAN_DPI / 72, grayscale=True).to_numpy()
        pages.append(rendered if rendered.ndim == 2 else rendered[:, :, 0])
    return pages


def scanned_pages(files: Iterable[UploadedFile]) -> list[Any]:
    """Every page of the uploaded files, as grey images; ValidationError for anything else."""
    pages: list[Any] = []
    total = 0
    for upload in files:
        if upload.size is None or upload.size > MAX_FILE:
            raise ValidationError(_("A file is larger than 20 MB."))
        total += upload.size
        if total > MAX_TOTAL:
            raise ValidationError(_("The files together are larger than 60 MB."))
        data = upload.read()
        kind = _kind(data[:8])
        if kind is None:
            raise ValidationError(_("Only PDF, PNG and JPEG files of scanned forms are read."))
        if kind == "pdf":
            pages.extend(_pdf_pages(data, MAX_PAGES - len(pages)))
        else:
            pages.append(_image(data))
        if len(pages) > MAX_PAGES:
            raise ValidationError(_("At most %(n)s pages per upload.") % {"n": MAX_PAGES})
    if not pages:
        raise ValidationError(_("Choose the scanned files to upload."))
    return pages
