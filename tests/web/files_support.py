"""Files for the upload tests, built byte by byte: office packages, OLE2 compound files, bombs."""

from __future__ import annotations

import io
import struct
import zipfile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip file of these members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def content_types(main: str, *, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{extra}</Types>'
    ).encode()


RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/>'
    "</Relationships>"
).encode()
DOCUMENT = b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body/></w:document>'


def docx(**more: bytes) -> bytes:
    """A minimal Word package, with more members if given."""
    return zipped(
        {
            "[Content_Types].xml": content_types(WORD_MAIN),
            "_rels/.rels": RELS,
            "word/document.xml": DOCUMENT,
            **more,
        }
    )


def docm() -> bytes:
    """A macro-enabled Word package (.docm): its main part and a VBA project."""
    return zipped(
        {
            "[Content_Types].xml": content_types(WORD_MACRO_MAIN),
            "_rels/.rels": RELS,
            "word/document.xml": DOCUMENT,
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba",
        }
    )


def ofd() -> bytes:
    """A minimal OFD package (GB/T 33190)."""
    return zipped(
        {
            "OFD.xml": b'<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>',
            "Doc_0/Document.xml": b"<ofd:Document/>",
            "Doc_0/Pages/Page_0/Content.xml": b"<ofd:Page/>",
        }
    )


# --- OLE2 compound files (MS-CFB, version 3, 512-byte sectors) ------------------------------

FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _entry(name: str, kind: int, start: int, size: int, right: int, child: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIII",
        encoded,
        len(encoded),
        kind,
        1,  # black
        NONE,
        right,
        child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
        0,
    )


def ole2(streams: dict[str, bytes], storages: tuple[str, ...] = ()) -> bytes:
    """A compound file with these top-level streams (each padded to 4096 bytes, out of the mini
    stream) and empty storages: enough for a reader to list its directory."""
    names = [*streams, *storages]
    data = [streams[n].ljust(4096, b"\0") for n in streams]
    sectors_of = [len(d) // 512 for d in data]
    dir_sectors = (len(names) + 1 + 3) // 4
    first_data = 1 + dir_sectors
    fat = [FAT_SECTOR] + [*range(2, 1 + dir_sectors), END][:dir_sectors]
    starts, at = [], first_data
    for n in sectors_of:
        starts.append(at)
        fat += [*range(at + 1, at + n), END]
        at += n
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))
    entries = [_entry("Root Entry", 5, END, 0, NONE, 1 if names else NONE)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NONE
        if i < len(streams):
            entries.append(_entry(name, 2, starts[i], len(data[i]), right, NONE))
        else:
            entries.append(_entry(name, 1, 0, 0, right, NONE))
    directory = b"".join(entries).ljust(dir_sectors * 512, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,
        END,  # no mini FAT
        0,
        END,  # no DIFAT sectors
        0,
    )
    header += struct.pack("<109I", 0, *([FREE] * 108))
    return header + struct.pack("<128I", *fat) + directory + b"".join(data)


def doc() -> bytes:
    """An old Word document (.doc): the WordDocument stream."""
    return ole2({"WordDocument": b"\xec\xa5 word", "1Table": b"table"})


def doc_with_macros() -> bytes:
    """A .doc carrying a VBA project in its Macros storage."""
    return ole2({"WordDocument": b"\xec\xa5 word"}, storages=("Macros",))


def msi() -> bytes:
    """An installer database: OLE2 too, but no document stream."""
    return ole2({"\u4840\u3f3f\u4577": b"msi table", "SummaryInformation": b"props"})


# --- bombs -----------------------------------------------------------------------------------


def many_members(n: int) -> bytes:
    """A zip of n empty members."""
    return zipped({f"word/p{i}.xml": b"" for i in range(n)})


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
