"""PowerPoint .pptx: slide text in reading order, slides separated by form feeds."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from pptx import Presentation

from .errors import IngestError


def read(data: bytes, path: Path) -> str:
    """Read a .pptx file."""
    try:
        presentation = Presentation(BytesIO(data))
    except Exception as exc:  # python-pptx raises several types for broken packages
        raise IngestError(path, f"corrupt PowerPoint file ({type(exc).__name__}: {exc})") from exc
    slides = []
    for slide in presentation.slides:
        shapes = sorted(slide.shapes, key=lambda s: ((s.top or 0) // 10000, s.left or 0))
        lines: list[str] = []
        for shape in shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    text = "".join(run.text for run in paragraph.runs)
                    if text.strip():
                        lines.append(("• " if paragraph.level else "") + text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    lines.append("\t".join(" ".join(c.text.split()) for c in row.cells))
        slides.append("\n".join(lines))
    return "\n\f\n".join(slides)
