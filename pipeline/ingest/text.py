"""Plain text and Markdown: detect the encoding, decode, repair mojibake."""
from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer
import ftfy

from .errors import IngestError

#: Encodings minutes arrive in, in the order they are tried after UTF-8.
CANDIDATES = ["utf_8", "utf_16", "cp1252", "latin_1"]


def decode(data: bytes, path: Path) -> str:
    """Decode bytes to text: BOM first, then strict UTF-8, then the best single-byte guess."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _guess(data, path)
    # Text that was once decoded with the wrong code page (`Ã¸` for `ø`) is repaired.
    return ftfy.fix_encoding(text)


def _guess(data: bytes, path: Path) -> str:
    sample = data[:8192]
    if sample.count(0) > len(sample) // 4:
        even_nuls = sample[0::2].count(0)
        return data.decode("utf-16-be" if even_nuls > len(sample) // 4 else "utf-16-le", errors="replace")
    best = charset_normalizer.from_bytes(data[: 1024 * 1024], cp_isolation=CANDIDATES[2:]).best()
    encoding = best.encoding if best else "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return data.decode("latin_1")


def read(data: bytes, path: Path) -> str:
    """Read a .txt or .md file."""
    text = decode(data, path)
    if "\x00" in text:
        raise IngestError(path, "text contains NUL bytes: wrong encoding or not a text file")
    return text
