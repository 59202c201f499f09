"""Which kind of file an upload is: from ?extension=, then the filename, then its first bytes.

The SDK names every raw-bytes upload "upload", so the bytes often have the last word.
"""

from __future__ import annotations

import re
from pathlib import Path

from docuforge.errors import DocumentError, ErrorCode, UnsupportedDocument

# Formats Docuforge accepts as inputs, by extension.
KNOWN = frozenset(
    {
        "pdf", "png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "gif",
        "docx", "doc", "pptx", "ppt", "xlsx", "xlsm", "xls", "csv", "tsv",
        "html", "htm", "md", "txt", "json", "xml", "log", "zip",
    }
)  # fmt: skip
# Kinds whose bytes are text: the bytes cannot tell them apart, so the declared kind stands.
TEXT = frozenset({"csv", "tsv", "html", "htm", "md", "txt", "json", "jsonl", "ndjson", "xml", "log"})
# Compressed log files: accepted for the log reader, refused by the parser as any unknown kind.
COMPRESSED = frozenset({"gz", "zst"})
_ZIPPED_OFFICE = frozenset({"docx", "xlsx", "xlsm", "pptx"})
_OLE2 = frozenset({"doc", "xls", "ppt"})
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),  # OLE2: .doc, .xls or .ppt; the name decides
]
_EXTENSION = re.compile(r"^\.?([A-Za-z0-9]{1,8})$")


def normalize(extension: str | None) -> str | None:
    if not extension:
        return None
    match = _EXTENSION.match(extension.strip())
    return match.group(1).lower() if match else None


def from_filename(filename: str | None) -> str | None:
    if not filename or "." not in filename:
        return None
    return normalize(filename.rsplit(".", 1)[1])


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce, if they announce one."""
    for magic, extension in _MAGIC:
        if head.startswith(magic):
            return extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\x1f\x8b"):
        return "gz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zst"
    if head.startswith(b"PK\x03\x04"):
        # Office files are ZIPs whose first entries name their kind.
        window = head[:4096]
        for marker, extension in ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx")):
            if marker in window:
                return extension
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()[:512].lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return "html"
    if text.startswith(b"<?xml"):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json"
    return None


def detect(explicit: str | None, filename: str | None, head: bytes) -> str | None:
    return normalize(explicit) or from_filename(filename) or sniff(head)


_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}


def is_text(head: bytes) -> bool:
    """Bytes a text reader can take: no NUL, next to no control characters (any 8-bit encoding)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with its byte-order mark
    if not head or b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls <= len(head) // 100


def upload_kind(explicit: str | None, filename: str | None, head: bytes) -> str | None:
    """The kind an upload is kept as, judged by its bytes; UnsupportedDocument for what nothing here reads.

    A declared kind stands where the bytes cannot contradict it (text, the OLE2 and ZIP containers
    of office files); bytes no reader takes are refused whatever the name says.
    """
    declared = normalize(explicit) or from_filename(filename)
    sniffed = sniff(head)
    if sniffed is None:
        if not is_text(head):
            raise UnsupportedDocument(
                "the file is not a document Docuforge reads (PDF, image, office file, text or a "
                "compressed log)"
            )
        return declared if declared in TEXT else None
    if sniffed == "zip" and declared in _ZIPPED_OFFICE:
        return declared
    if sniffed == "doc" and declared in _OLE2:
        return declared
    if sniffed in ("json", "xml", "html") and declared in TEXT:
        return declared
    if declared in KNOWN and declared not in TEXT:
        return declared  # a readable document declared as another readable kind: the parser sniffs again
    return sniffed


IMAGE_FORMATS = frozenset({"png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp", "gif"})


def source_format(source: str | Path | bytes, forced: str | None = None, extension: str | None = None) -> str:
    """What the input is: forced, then declared, then its name, then its bytes."""
    forced = normalize(forced)
    if forced:
        return forced
    if isinstance(source, bytes):
        head = source[:8192]
        name = None
    else:
        path = Path(source)
        if not path.is_file():
            raise DocumentError(f"no such file: {path}", code=ErrorCode.NOT_FOUND, status_code=404)
        with path.open("rb") as handle:
            head = handle.read(8192)
        name = path.name
    if not head:
        raise DocumentError("the document is empty", code=ErrorCode.DOCUMENT_EMPTY)
    sniffed = sniff(head)
    declared = normalize(extension) or from_filename(name)
    if sniffed == "zip" and declared in ("docx", "pptx", "xlsx", "xlsm"):
        return declared  # an office file whose first entries do not name its kind
    if sniffed == "doc" and declared in ("xls", "ppt"):
        return declared  # the OLE2 container of all three legacy formats: the name tells which
    # The bytes win over a name that contradicts them; a name wins over bytes that say nothing.
    return sniffed or declared or "unknown"
