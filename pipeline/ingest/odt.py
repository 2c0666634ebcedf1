"""OpenDocument text (.odt): headings, paragraphs, lists and tables in order."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from odf import teletype
from odf.element import Element
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import load

from .errors import IngestError


def read(data: bytes, path: Path) -> str:
    """Read an .odt file."""
    try:
        document = load(BytesIO(data))
    except Exception as exc:  # odfpy raises zipfile, xml and key errors alike
        raise IngestError(path, f"corrupt OpenDocument file ({type(exc).__name__}: {exc})") from exc
    lines: list[str] = []
    _walk(document.text, lines, list_depth=0)
    return "\n".join(lines)


def _walk(node: Element, lines: list[str], list_depth: int) -> None:
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname in {(TEXTNS, "h"), (TEXTNS, "p")}:
            prefix = "• " if list_depth and qname == (TEXTNS, "p") else ""
            lines.append(prefix + teletype.extractText(child))
        elif qname == (TEXTNS, "list"):
            _walk(child, lines, list_depth + 1)
        elif qname == (TABLENS, "table"):
            for row in child.getElementsByType(_table_row()):
                cells = [" ".join(teletype.extractText(c).split()) for c in row.childNodes
                         if getattr(c, "qname", None) == (TABLENS, "table-cell")]
                lines.append("\t".join(cells))
            lines.append("")
        elif qname is not None:
            _walk(child, lines, list_depth)


def _table_row():
    from odf.table import TableRow

    return TableRow
