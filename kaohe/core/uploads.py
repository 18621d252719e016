"""What an uploaded file is, judged by its bytes alone; its name is never believed.

Accepted: PDF, JPEG and PNG images, Word and Excel documents without macros (.docx and .xlsx,
whose package is inspected: [Content_Types].xml, the main part the package relationships name,
no VBA project, nothing but document parts inside; .doc and .xls, whose OLE2 directory names
the document's stream and no macro storage) and OFD (GB/T 33190, a package with OFD.xml).
Refused with their own reason: macro-enabled documents and archives (zip, rar, 7z …, or an
office package carrying other files). Everything else is refused as not a document.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

import olefile


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: its content type and the extensions a name of it may have
    (the first is given to a name without one of them)."""

    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", (".pdf",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("image/png", (".png",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
DOC = FileType("application/msword", (".doc",))
XLS = FileType("application/vnd.ms-excel", (".xls",))
OFD = FileType("application/ofd", (".ofd",))
ACCEPTED = (PDF, JPEG, PNG, DOCX, XLSX, DOC, XLS, OFD)
# Accepted before these checks, and still served under a matching name.
GIF = FileType("image/gif", (".gif",))
BY_CONTENT_TYPE = {t.content_type: t for t in (*ACCEPTED, GIF)}

# Why a file is refused.
UNKNOWN, MACROS, ARCHIVE = "unknown", "macros", "archive"

# Where Word ("Macros") and Excel ("_VBA_PROJECT_CUR") keep a VBA project in an OLE2 file.
MACRO_STORAGES = {"macros", "_vba_project_cur", "vba"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ARCHIVES = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"MSCF")
# An office package of a few MB has tens or hundreds of parts; more is not a document.
MAX_MEMBERS = 5000
MAX_XML_PART = 1024 * 1024  # [Content_Types].xml and _rels/.rels are a few KB

CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# The parts a document package holds: XML, pictures, fonts, embedded objects, signatures.
PACKAGE_PARTS = {
    *("xml", "rels", "vml", "bin", "sigs", "psmdcp", "data"),
    *("png", "jpg", "jpeg", "jfif", "gif", "bmp", "tif", "tiff", "emf", "wmf", "svg", "wdp"),
    *("odttf", "fntdata", "ttf", "otf", "ttc"),
    *("docx", "xlsx", "pptx", "doc", "xls", "ppt"),
}
OFD_PARTS = {"xml", "ttf", "otf", "ttc", "png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif"} | {
    "jb2",
    "svg",
    "dat",
    "esl",
    "sig",
}


def detect(upload: IO[bytes]) -> tuple[FileType | None, str]:
    """The accepted type the file's bytes show, or None and why it is refused."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF, ""
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG, ""
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG, ""
        if head.startswith(OLE2):
            return _ole2(upload)
        if head.startswith(ZIP):
            return _package(upload)
        return None, ARCHIVE if head.startswith(ARCHIVES) else UNKNOWN
    finally:
        upload.seek(0)


# --- OLE2: .doc and .xls -----------------------------------------------------------------


def _ole2(upload: IO[bytes]) -> tuple[FileType | None, str]:
    try:
        entries = olefile.OleFileIO(upload).listdir(streams=True, storages=True)
    except Exception:  # a malformed compound file, whatever olefile finds wrong with it
        return None, UNKNOWN
    if any(part.lower() in MACRO_STORAGES for path in entries for part in path):
        return None, MACROS
    top = {path[0].lower() for path in entries}
    if "worddocument" in top:
        return DOC, ""
    if "workbook" in top or "book" in top:
        return XLS, ""
    return None, UNKNOWN  # an installer (.msi), a presentation, a mail …


# --- zip packages: .docx, .xlsx, .ofd --------------------------------------------------------


def zip_members(upload: IO[bytes]) -> list[zipfile.ZipInfo] | None:
    """The members of a zip file, or None if it is not one or has more than MAX_MEMBERS.

    The count is read from the end record before zipfile reads the central directory: a small
    upload could otherwise list millions of members, each costing memory to hold.
    """
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - 65557))  # the end record (22 bytes) and a comment of 64 KB at most
    tail = upload.read()
    upload.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if entries > MAX_MEMBERS:  # 0xFFFF too: a zip64 directory, never an office document's
        return None
    try:
        return zipfile.ZipFile(upload).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return None
    finally:
        upload.seek(0)


def _package(upload: IO[bytes]) -> tuple[FileType | None, str]:
    members = zip_members(upload)
    if members is None:
        return None, UNKNOWN
    names = {m.filename for m in members}
    if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
        return None, MACROS
    if "[Content_Types].xml" in names:
        found, why = _office(upload)
    elif "OFD.xml" in names:
        found, why = OFD, ""
    else:
        return None, ARCHIVE
    if found is not None and not _only(members, OFD_PARTS if found is OFD else PACKAGE_PARTS):
        return None, ARCHIVE
    return found, why


def _only(members: list[zipfile.ZipInfo], extensions: set[str]) -> bool:
    """Whether every member is a part of the document (not so: setup.exe inside a .docx)."""
    for m in members:
        name = m.filename.rsplit("/", 1)[-1]
        if m.is_dir() or name == "[Content_Types].xml":
            continue
        if "." not in name or name.rsplit(".", 1)[1].lower() not in extensions:
            return False
    return True


def _office(upload: IO[bytes]) -> tuple[FileType | None, str]:
    """The type of the package's main part (the officeDocument relationship's target)."""
    with zipfile.ZipFile(upload) as package:
        types = _xml(package, "[Content_Types].xml")
        rels = _xml(package, "_rels/.rels")
    if types is None or rels is None:
        return None, UNKNOWN
    declared = [e.get("ContentType", "") for e in types]
    if any("macroEnabled" in t or "vbaProject" in t for t in declared):
        return None, MACROS
    overrides = {
        e.get("PartName", "").lower(): e.get("ContentType", "")
        for e in types.iter(f"{CONTENT_TYPES}Override")
    }
    targets = [
        e.get("Target", "")
        for e in rels.iter(f"{RELATIONSHIPS}Relationship")
        if e.get("Type", "").endswith(OFFICE_DOCUMENT)
    ]
    if len(targets) != 1:
        return None, UNKNOWN
    part = "/" + targets[0].lstrip("/")
    found = MAIN_PARTS.get(overrides.get(part.lower(), ""))
    return (found, "") if found else (None, UNKNOWN)


def _xml(package: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    """A small XML part, parsed; None if missing, too large or declaring a DTD (entities)."""
    try:
        info = package.getinfo(name)
        if info.file_size > MAX_XML_PART:
            return None
        data = package.read(info)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            return None
        return ElementTree.fromstring(data)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return None


# --- workbooks about to be parsed --------------------------------------------------------------

# A filled-in batch template of 1,000 rows unpacks to a few MB; openpyxl holds what it parses
# several times over in memory (202 MiB of shared strings cost a worker 349 MiB and 15 s).
MAX_WORKBOOK_INFLATED = 16 * 1024 * 1024
MAX_RATIO = 100  # a member of more than 1 MiB inflating more than a hundredfold is a bomb
INFLATES, TOO_MANY_ROWS = "inflates", "rows"
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
SPREADSHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DOCUMENT_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def workbook_problem(upload: IO[bytes], *, max_rows: int) -> str:
    """'' if the .xlsx may be parsed; INFLATES if its parts would unpack too large (member sizes
    from the zip directory, which zipfile holds each member to), TOO_MANY_ROWS if its first sheet
    has more than max_rows rows. Only the workbook's small index parts are parsed to tell."""
    members = zip_members(upload)
    if members is None:
        return ""  # not a zip: openpyxl says it cannot read it
    if sum(m.file_size for m in members) > MAX_WORKBOOK_INFLATED or any(
        m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
        for m in members
    ):
        return INFLATES
    with zipfile.ZipFile(upload) as package:
        sheet = _first_sheet(package)
        rows = _count_rows(package, sheet) if sheet else 0
    upload.seek(0)
    return TOO_MANY_ROWS if rows > max_rows else ""


def _first_sheet(package: zipfile.ZipFile) -> str | None:
    """The part name of the workbook's first sheet (the one openpyxl's worksheets[0] reads)."""
    book, rels = _xml(package, "xl/workbook.xml"), _xml(package, "xl/_rels/workbook.xml.rels")
    first = None if book is None else next(book.iter(f"{SPREADSHEET}sheet"), None)
    if first is None or rels is None:
        return None
    rid = first.get(f"{DOCUMENT_RELATIONSHIPS}id")
    target = next((r.get("Target", "") for r in rels if r.get("Id") == rid), "")
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _count_rows(package: zipfile.ZipFile, name: str) -> int:
    """The row elements of a sheet's XML, read in chunks (a tag may straddle two)."""
    try:
        stream = package.open(name)
    except (KeyError, zipfile.BadZipFile):
        return 0
    rows, carry = 0, b""
    with stream:
        while chunk := stream.read(1024 * 1024):
            data = carry + chunk
            # the tags wholly within the carried tail were counted with the chunk before
            rows += len(ROW_TAG.findall(data)) - len(ROW_TAG.findall(carry))
            carry = data[-64:]
    return rows
