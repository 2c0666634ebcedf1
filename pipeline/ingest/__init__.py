"""Ingestion: read a file of any supported format into a RawDocument.

One reader a format (`txt`, `docx`, `pdf`, `html`, `odt`, `pptx`); the format is sniffed from
the content. Every failure is an `IngestError` naming the file and the problem.
"""
from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import docx, html, odt, pdf, pptx, text
from .errors import IngestError
from .sniff import sniff

__all__ = ["IngestError", "RawDocument", "read_document", "discover", "SUFFIXES", "max_file_bytes"]

READERS: dict[str, Callable[[bytes, Path], str]] = {
    "txt": text.read,
    "md": text.read,
    "html": html.read,
    "pdf": pdf.read,
    "docx": docx.read,
    "odt": odt.read,
    "pptx": pptx.read,
}
#: File name endings picked up when a folder is given.
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".odt", ".pptx"}


def max_file_bytes() -> int:
    """Largest file accepted (MINUTES_MAX_FILE_MB, default 50 MB): minutes are far smaller."""
    return int(float(os.environ.get("MINUTES_MAX_FILE_MB", "50")) * 1024 * 1024)


@dataclass(frozen=True)
class RawDocument:
    """The text of a file as its format gives it, before normalisation, with provenance."""

    source: str
    format: str
    text: str
    file_hash: str


def read_document(path: Path | str) -> RawDocument:
    """Read one file; raise IngestError for anything that is not a readable document."""
    path = Path(path)
    try:
        if path.is_dir():
            raise IngestError(path, "is a directory, not a file")
        size = path.stat().st_size
        if size == 0:
            raise IngestError(path, "empty file")
        limit = max_file_bytes()
        if size > limit:
            raise IngestError(path, f"file is {size / 2**20:.0f} MB, above the {limit / 2**20:.0f} MB limit (MINUTES_MAX_FILE_MB)")
        data = path.read_bytes()
    except PermissionError as exc:
        raise IngestError(path, "permission denied: the file cannot be read") from exc
    except FileNotFoundError as exc:
        raise IngestError(path, "no such file") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot be read ({exc.strerror or exc})") from exc
    fmt = sniff(path, data[:8192])
    body = READERS[fmt](data, path)
    if not body.strip():
        raise IngestError(path, f"no text found in this {fmt} file")
    return RawDocument(source=str(path), format=fmt, text=body, file_hash=hashlib.sha256(data).hexdigest())


def discover(targets: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files, folders (recursively, supported suffixes only) and globs, in sorted order."""
    seen: set[Path] = set()
    for target in targets:
        target = str(target)
        matches = sorted(glob.glob(target, recursive=True)) if glob.has_magic(target) else [target]
        for match in matches:
            path = Path(match)
            candidates = (
                sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and not p.is_dir())
                if path.is_dir()
                else [path]
            )
            for candidate in candidates:
                if candidate not in seen:
                    seen.add(candidate)
                    yield candidate
