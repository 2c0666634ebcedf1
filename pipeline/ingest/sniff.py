"""Detect a file's format from its content (the extension is only a tie-breaker)."""
from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from .errors import IngestError

#: Decompressed size above which an archive is refused (zip-bomb guard).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
#: Compression ratio above which an archive member is refused.
MAX_RATIO = 200

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff(path: Path, head: bytes) -> str:
    """Return one of txt, md, html, pdf, docx, odt, pptx for a file whose first bytes are `head`."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or _looks_like_text(head):
        return _sniff_text(path, head)
    expected = path.suffix.lower().lstrip(".") or "text"
    raise IngestError(path, f"not a readable document: binary content that is not a {expected} file")


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse archives whose members would inflate beyond the limits."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise IngestError(path, f"refused: archive member {info.filename!r} inflates {info.file_size // info.compress_size}x (zip bomb?)")
    if total > MAX_UNZIPPED_BYTES:
        raise IngestError(path, f"refused: archive would inflate to {total / 2**20:.0f} MB (limit {MAX_UNZIPPED_BYTES // 2**20} MB)")


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_archive(path, archive)
            if "word/document.xml" in names:
                return "docx"
            if "ppt/presentation.xml" in names:
                return "pptx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
    except zipfile.BadZipFile as exc:
        raise IngestError(path, f"corrupt or truncated archive ({exc})") from exc
    raise IngestError(path, "zip archive that is not a .docx, .odt or .pptx document")


def _sniff_text(path: Path, head: bytes) -> str:
    lowered = head[:4096].lower().replace(b"\x00", b"")
    if path.suffix.lower() in {".html", ".htm"} or any(
        tag in lowered for tag in (b"<!doctype html", b"<html", b"<body", b"<head>")
    ):
        return "html"
    return "md" if path.suffix.lower() in {".md", ".markdown"} else "txt"


def _looks_like_text(head: bytes) -> bool:
    """Text has (almost) no control bytes; UTF-16 without BOM has NULs in every other byte."""
    if not head:
        return True
    sample = head[:8192]
    nuls = sample.count(0)
    if nuls:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return max(even, odd) > 0.3 * len(sample) / 2 and min(even, odd) < 0.02 * len(sample) / 2
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) < 0.01
