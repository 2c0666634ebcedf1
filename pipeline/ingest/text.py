"""Plain text and Markdown: detect the encoding and decode (mojibake is repaired in normalise)."""
from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from .errors import IngestError

#: Single-byte encodings minutes arrive in when they are not UTF-8 or UTF-16.
SINGLE_BYTE = ["cp1252", "latin_1"]


def decode(data: bytes) -> str:
    """Decode bytes to text: BOM first, then strict UTF-8, then the best single-byte guess."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _guess(data)


def _guess(data: bytes) -> str:
    sample = data[:8192]
    if sample.count(0) > len(sample) // 4:
        even_nuls = sample[0::2].count(0)
        return data.decode("utf-16-be" if even_nuls > len(sample) // 4 else "utf-16-le", errors="replace")
    best = charset_normalizer.from_bytes(data[: 1024 * 1024], cp_isolation=SINGLE_BYTE).best()
    encoding = best.encoding if best else "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("latin_1")


def read(data: bytes, path: Path) -> str:
    """Read a .txt or .md file."""
    text = decode(data)
    if "\x00" in text:
        raise IngestError(path, "text contains NUL bytes: wrong encoding or not a text file")
    return text
