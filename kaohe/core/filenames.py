"""The names uploaded files are stored and served under, and the header that serves them.

A file keeps the name it was uploaded with, made safe: no control or format characters (the
right-to-left override that shows `报告\u202efdp.exe` as 报告exe.pdf), no characters a file
system refuses, and an extension that matches what its bytes are (`证据.bat` holding a PDF is
stored and served as 证据.pdf).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponseBase

from kaohe.core.uploads import BY_CONTENT_TYPE, FileType

# Unicode's control (Cc), format (Cf: the bidi controls U+202A–U+202E, U+2066–U+2069, U+200E,
# U+200F, U+061C, zero-width characters), line and paragraph separator (Zl, Zp) categories.
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs"}
NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|]')
# What reads as an extension: up to 5 ASCII letters and digits, at least one letter (so that
# the date in 会议纪要2016.11.03 is not taken for one).
EXTENSION = re.compile(r"\.(?=[A-Za-z0-9]{0,4}[A-Za-z])[A-Za-z0-9]{1,5}$")
MAX_STEM = 120


def visible_name(name: str) -> str:
    """The name without invisible characters and characters file systems refuse."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in INVISIBLE)
    return NOT_IN_NAMES.sub("_", text).strip(" .")


def typed_name(name: str, file_type: FileType | None) -> str:
    """A visible name whose extension is one of the file type's: kept if it is, else replaced."""
    text = visible_name(name.replace("\\", "/").rsplit("/", 1)[-1])
    if file_type is None:
        return text
    found = EXTENSION.search(text)
    stem = text[: found.start()] if found else text
    extension = found.group(0).lower() if found else ""
    if extension not in file_type.extensions:
        extension = file_type.extensions[0]
    stem = stem.strip(" .")[:MAX_STEM] or "file"
    return stem + extension


def served_name(name: str, content_type: str) -> str:
    """The name a stored file is served under: typed_name for its stored content type."""
    return typed_name(name, BY_CONTENT_TYPE.get(content_type))


def ascii_name(name: str) -> str:
    """A fallback for clients that ignore filename*: ASCII letters, digits, dot, dash, _."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-") or "file"
    tail = re.sub(r"[^A-Za-z0-9]", "", extension)
    return f"{safe}.{tail}" if tail else safe


def set_attachment(response: HttpResponseBase, name: str, *, inline: bool = False) -> None:
    """Serve as a download named `name`: an ASCII fallback, then the RFC 5987 UTF-8 name.

    `inline` lets the browser show it (a PDF to print) rather than save it."""
    kind = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:
        # Should a browser render it after all, it runs nothing and loads nothing. (A sandbox
        # would stop the browser's PDF viewer from showing a file meant to be shown.)
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
