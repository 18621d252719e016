"""File download responses: one way to name, type and protect a file the product serves."""

from __future__ import annotations

from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse

from kaohe.core.filenames import served_name, set_attachment
from kaohe.core.uploads import XLSX as XLSX_TYPE

XLSX = XLSX_TYPE.content_type
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
JSON = "application/json; charset=utf-8"


def download(
    content: bytes, content_type: str, name: str, *, inline: bool = False, private: bool = False
) -> HttpResponse:
    """Bytes served as a file named `name` (RFC 5987), never sniffed; `private`: not cached."""
    response = HttpResponse(content, content_type=content_type)
    set_attachment(response, name, inline=inline)
    if private:
        response["Cache-Control"] = "no-store"
    return response


def stored_download(
    opened: FieldFile | IO[bytes], content_type: str, original_name: str
) -> FileResponse:
    """A kept upload, streamed under its original name made safe for its stored type."""
    response = FileResponse(opened, content_type=content_type)
    set_attachment(response, served_name(original_name, content_type))
    return response


def open_stored(file: FieldFile) -> FieldFile:
    """The stored file opened for reading; a file missing from the disk is a 404."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
