"""Word .docx: body paragraphs and tables in document order, list numbering rendered.

Headers and footers live in their own parts and are never read.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .errors import IngestError

BULLET = "•"


def read(data: bytes, path: Path) -> str:
    """Read a .docx file."""
    try:
        document = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise IngestError(path, f"corrupt Word document ({type(exc).__name__}: {exc})") from exc
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(numbering.prefix(block) + block.text)
        elif isinstance(block, Table):
            lines.extend(_table_rows(block))
            lines.append("")
    return "\n".join(lines)


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or text != cells[-1]:  # a merged cell repeats in every grid column
                cells.append(text)
        rows.append("\t".join(cells))
    return rows


class _Numbering:
    """Renders list labels (1., a), •) that Word computes at display time."""

    def __init__(self, document: Document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "%1.",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            for ilvl, spec in abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}).items():
                self.formats[(num.get(qn("w:numId")), ilvl)] = spec

    def prefix(self, paragraph: Paragraph) -> str:
        num_pr = _numbering_properties(paragraph)
        if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        fmt, text, start = self.formats.get((num_id, ilvl), ("bullet", BULLET, 1))
        if fmt == "bullet" or fmt == "none":
            return f"{BULLET} "
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[deeper]
        label = text
        for level in range(ilvl + 1):
            value = self.counters.get((num_id, level), 1)
            level_fmt = self.formats.get((num_id, level), ("decimal", "", 1))[0]
            label = label.replace(f"%{level + 1}", _render(value, level_fmt))
        return f"{label} "


def _numbering_properties(paragraph: Paragraph):
    """The paragraph's own list properties, else those of its style or the styles it is based on."""
    if paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return paragraph._p.pPr.numPr
    style = paragraph.style
    while style is not None:
        p_pr = style.element.pPr
        if p_pr is not None and p_pr.numPr is not None:
            return p_pr.numPr
        style = style.base_style
    return None


def _render(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in {"lowerRoman", "upperRoman"}:
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out = ""
        for n, s in numerals:
            while value >= n:
                out, value = out + s, value - n
        return out.upper() if fmt == "upperRoman" else out
    return str(value)
