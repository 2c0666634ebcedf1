"""Render a plain-text document as .docx, .pdf, .odt, .pptx and .html, as office tools would.

Used to test ingestion on real files: the corpus's multi-format share
(`python -m evaluation.render corpus/docs corpus/formats ID...`) and the tests. Blank-line
separated blocks become paragraphs, `•`/`-` lines list items, tab-separated lines table rows,
`#` lines headings. The PDF has a running header (the first line) and `Side N av M` footers.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

FORMATS = ("docx", "pdf", "odt", "pptx", "html")


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """(kind, lines) blocks: heading, bullet, table, paragraph."""
    out: list[tuple[str, list[str]]] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            out.append(("blank", []))
            continue
        if line.startswith("#"):
            kind = "heading"
            line = line.lstrip("#").strip()
        elif line[:1] in "•·▪-–" and line[1:2] in (" ", "\t"):
            kind, line = "bullet", line[1:].strip()
        elif "\t" in raw:
            kind, line = "table", raw.strip("\n")
        else:
            kind = "paragraph"
        if out and out[-1][0] == kind and kind in {"table", "paragraph"}:
            out[-1][1].append(line)
        else:
            out.append((kind, [line]))
    return [b for b in out if b[0] != "blank"]


def to_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = text.strip().split("\n")[0]
    document.sections[0].footer.paragraphs[0].text = "Konfidensielt utkast"
    for kind, lines in _blocks(text):
        if kind == "heading":
            document.add_heading(lines[0], level=2)
        elif kind == "bullet":
            document.add_paragraph(lines[0], style="List Bullet")
        elif kind == "table":
            rows = [line.split("\t") for line in lines]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            document.add_paragraph(" ".join(lines))
    document.save(path)


def to_pdf(text: str, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    title = text.strip().split("\n")[0][:80]
    styles = getSampleStyleSheet()

    class Numbered(SimpleDocTemplate):
        pages = 0

    def header_footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, title)
        canvas.drawString(A4[0] - 140, 30, f"Side {doc.page} av {Numbered.pages or '?'}")
        canvas.restoreState()

    def story():
        out = []
        for kind, lines in _blocks(text):
            body = html.escape(" ".join(lines) if kind == "paragraph" else "<br/>".join(lines), quote=False)
            if kind == "table":
                body = "<br/>".join(html.escape(line.replace("\t", "   "), quote=False) for line in lines)
            style = styles["Heading3"] if kind == "heading" else styles["BodyText"]
            out.append(Paragraph(("• " if kind == "bullet" else "") + body, style))
        return out

    for _ in range(2):  # the second pass knows the page count for the footer
        document = Numbered(str(path), pagesize=A4)
        document.build(story(), onFirstPage=header_footer, onLaterPages=header_footer)
        Numbered.pages = document.page


def to_odt(text: str, path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    for kind, lines in _blocks(text):
        if kind == "heading":
            document.text.addElement(H(outlinelevel=2, text=lines[0]))
        elif kind == "bullet":
            items = List()
            item = ListItem()
            item.addElement(P(text=lines[0]))
            items.addElement(item)
            document.text.addElement(items)
        elif kind == "table":
            rows = [line.split("\t") for line in lines]
            table = Table()
            table.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in rows)))
            for row in rows:
                tr = TableRow()
                for cell in row:
                    tc = TableCell()
                    tc.addElement(P(text=cell))
                    tr.addElement(tc)
                table.addElement(tr)
            document.text.addElement(table)
        else:
            document.text.addElement(P(text=" ".join(lines)))
    document.save(str(path))


def to_pptx(text: str, path: Path, blocks_per_slide: int = 6) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    blocks = _blocks(text)
    for start in range(0, len(blocks), blocks_per_slide):
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        box = slide.shapes.add_textbox(Inches(0.5), Inches(0.5), Inches(9), Inches(6.5))
        frame = box.text_frame
        first = True
        for kind, lines in blocks[start : start + blocks_per_slide]:
            for line in (lines if kind == "table" else [" ".join(lines)]):
                paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
                paragraph.text = line.replace("\t", " | ") if kind == "table" else line
                paragraph.level = 1 if kind == "bullet" else 0
                first = False
    presentation.save(path)


def to_html(text: str, path: Path) -> None:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Referat</title>",
             "<style>body{font-family:sans-serif}</style><script>var tracking = 'Vedtak: ikke dette';</script></head>",
             "<body><nav><a href='/'>Hjem</a> | <a href='/moter'>Møter</a></nav><main>"]
    for kind, lines in _blocks(text):
        esc = [html.escape(line) for line in lines]
        if kind == "heading":
            parts.append(f"<h2>{esc[0]}</h2>")
        elif kind == "bullet":
            parts.append(f"<ul><li>{esc[0]}</li></ul>")
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line.split("\t")) + "</tr>" for line in esc)
            parts.append(f"<table>{rows}</table>")
        else:
            parts.append(f"<p>{' '.join(esc)}</p>")
    parts.append("</main><footer>Kontakt oss | Personvern</footer></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


RENDERERS = {"docx": to_docx, "pdf": to_pdf, "odt": to_odt, "pptx": to_pptx, "html": to_html}


def render(text: str, fmt: str, path: Path) -> Path:
    """Write `text` as a file of format `fmt` at `path`."""
    RENDERERS[fmt](text, path)
    return path


def main(argv: list[str]) -> None:
    source, target, *ids = argv
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    from pipeline.normalise import normalise

    for doc_id in ids:
        # A Word or PDF original has no PDF line-break hyphens or running headers inline.
        text = normalise((Path(source) / f"{doc_id}.txt").read_text(encoding="utf-8"))
        for fmt in FORMATS:
            render(text, fmt, out / f"{doc_id}.{fmt}")
    print(f"rendered {len(ids)} documents x {len(FORMATS)} formats into {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
