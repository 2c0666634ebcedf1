"""PDF: the text layer, one page after another, pages separated by form feeds."""
from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from .errors import IngestError

#: Fewer visible characters than this per page means there is no usable text layer.
MIN_CHARS_PER_PAGE = 20


def read(data: bytes, path: Path) -> str:
    """Read a .pdf file; scanned or encrypted PDFs are refused with a clear reason."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "encrypted PDF: a password is needed to read it")
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise IngestError(path, f"encrypted PDF that cannot be opened ({exc})") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IngestError(path, f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise IngestError(path, "PDF has no pages")
    visible = sum(len("".join(p.split())) for p in pages)
    if visible < MIN_CHARS_PER_PAGE * len(pages):
        raise IngestError(path, "PDF has no text layer (a scanned document?): run OCR on it first")
    return "\n\f\n".join(pages)
