"""Ingestion: every format, encodings, and every kind of bad input."""
from __future__ import annotations

import codecs
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from evaluation.render import FORMATS, render
from pipeline.ingest import IngestError, read_document
from pipeline.normalise import normalise

NB_TEXT = "Vedtak: Budsjettet for 2024 ble godkjent. Skolene får økte rammer, og rådmannen følger opp innen 1. mars.\n"


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def overlap(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    return sum((wa & wb).values()) / max(sum(wa.values()), sum(wb.values()))


# ---- formats ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_a_seed_matches_the_text_version(fmt, seed_paths, tmp_path):
    """Acceptance: .docx/.pdf/.odt/.pptx/.html versions of a seed keep ≥ 98% of its words."""
    source = next(p for p in seed_paths if p.name.startswith("002_"))
    reference = normalise(read_document(source).text)
    path = render(source.read_text(encoding="utf-8"), fmt, tmp_path / f"seed.{fmt}")
    raw = read_document(path)
    assert raw.format == fmt
    assert overlap(reference, normalise(raw.text)) >= 0.98


def test_format_is_detected_from_content_not_extension(tmp_path):
    path = render(NB_TEXT, "docx", tmp_path / "referat.docx")
    renamed = path.rename(tmp_path / "referat.pdf")
    assert read_document(renamed).format == "docx"


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + NB_TEXT.encode("utf-8"),
        NB_TEXT.encode("utf-8"),
        NB_TEXT.encode("utf-16"),
        NB_TEXT.encode("utf-16-le"),
        NB_TEXT.encode("cp1252"),
        NB_TEXT.encode("latin-1"),
        NB_TEXT.encode("utf-8").decode("latin-1").encode("utf-8"),  # mojibake: Ã¸ for ø
    ],
    ids=["utf8-bom", "utf8", "utf16-bom", "utf16le-nobom", "cp1252", "latin1", "mojibake"],
)
def test_text_encodings_are_detected_and_repaired(encoded, tmp_path):
    path = tmp_path / "referat.txt"
    path.write_bytes(encoded)
    assert normalise(read_document(path).text) == NB_TEXT


def test_cp1252_only_characters_survive(tmp_path):
    text = "Rektor sa «dette går bra» – og €5000 ble satt av til «kurs».\n"
    path = tmp_path / "referat.txt"
    path.write_bytes(text.encode("cp1252"))
    assert normalise(read_document(path).text) == text


def test_docx_keeps_tables_in_order_numbering_and_drops_header_footer(tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "TOPPTEKST SOM GJENTAS"
    document.sections[0].footer.paragraphs[0].text = "Bunntekst side 1"
    document.add_paragraph("Før tabellen.")
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(["Hva", "Hvem", "Frist"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["Sende invitasjon", "Kari", "1. mars"]):
        table.cell(1, c).text = value
    document.add_paragraph("Etter tabellen.")
    document.add_paragraph("Første punkt", style="List Number")
    document.add_paragraph("Andre punkt", style="List Number")
    document.add_paragraph("Et kulepunkt", style="List Bullet")
    path = tmp_path / "t.docx"
    document.save(path)
    text = read_document(path).text
    assert "TOPPTEKST" not in text and "Bunntekst" not in text
    assert text.index("Før tabellen") < text.index("Hva\tHvem\tFrist") < text.index("Sende invitasjon\tKari\t1. mars") < text.index("Etter tabellen")
    assert "1. Første punkt" in text and "2. Andre punkt" in text
    assert "• Et kulepunkt" in text


def test_html_drops_scripts_styles_and_navigation(tmp_path):
    path = tmp_path / "referat.html"
    path.write_text(
        "<html><head><style>p{color:red}</style><script>alert('x'); var Vedtak = 1;</script></head>"
        "<body><nav>Hjem | Møter</nav><main><h1>Referat</h1><p>Saken ble <b>godkjent</b>.</p>"
        "<script>document.write('injisert')</script><ul><li>Kari sender brev</li></ul></main>"
        "<footer>Kontakt</footer></body></html>",
        encoding="utf-8",
    )
    text = normalise(read_document(path).text)
    assert "alert" not in text and "injisert" not in text and "color" not in text
    assert "Hjem" not in text and "Kontakt" not in text
    assert "Saken ble godkjent." in text
    assert "• Kari sender brev" in text


# ---- bad input ------------------------------------------------------------------------------

def expect_error(path: Path, *phrases: str) -> str:
    with pytest.raises(IngestError) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    for phrase in phrases:
        assert phrase in message.lower(), message
    return message


def test_empty_file(tmp_path):
    path = tmp_path / "tom.txt"
    path.write_bytes(b"")
    expect_error(path, "empty")


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n \t\n", encoding="utf-8")
    expect_error(path, "no text")


@pytest.mark.parametrize("name", ["junk.pdf", "junk.docx"])
def test_binary_junk_with_a_document_name(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 40)
    expect_error(path, "binary")


def test_truncated_pdf(tmp_path):
    full = render(NB_TEXT * 20, "pdf", tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(full[: len(full) // 3])
    expect_error(path, "pdf")


def test_truncated_docx(tmp_path):
    full = render(NB_TEXT * 20, "docx", tmp_path / "full.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(full[: len(full) // 2])
    expect_error(path, "corrupt")


def test_docx_with_a_broken_document_part(tmp_path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<not-xml")
    expect_error(path, "corrupt")


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = render(NB_TEXT, "pdf", tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="hemmelig", algorithm="RC4-128")
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    expect_error(path, "encrypted", "password")


def test_scanned_pdf_without_text_layer(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        pdf.rect(50, 50, 400, 600, fill=1)  # an image-like page with no text
        pdf.showPage()
    pdf.save()
    expect_error(path, "no text layer", "ocr")


def test_docx_zip_bomb_is_refused_without_inflating(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/blob.bin", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    assert path.stat().st_size < 1 << 20
    expect_error(path, "zip bomb")


def test_oversized_text_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # 200 MB, sparse: nothing is written to disk
        handle.truncate(200 * 1024 * 1024)
    expect_error(path, "200 mb", "limit")


def test_directory_and_missing_file(tmp_path):
    expect_error(tmp_path, "directory")
    expect_error(tmp_path / "borte.txt", "no such file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(NB_TEXT, encoding="utf-8")
    path.chmod(0)
    expect_error(path, "permission denied")


def test_unreadable_file_reported(tmp_path, monkeypatch):
    """The permission branch, also where tests run as root (root ignores file modes)."""
    path = tmp_path / "locked.txt"
    path.write_text(NB_TEXT, encoding="utf-8")

    def deny(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    expect_error(path, "permission denied")
