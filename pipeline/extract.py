"""The whole path for one file: ingest → normalise → structure → language → contract."""
from __future__ import annotations

from pathlib import Path

from .contract import AgendaItemOut, DocumentInfo, Extraction
from .ingest import read_document
from .language import identify
from .normalise import document_id, normalise
from .structure import agenda_items


def extract(path: Path | str) -> Extraction:
    """Extract one file; raises IngestError when the file is not a readable document."""
    raw = read_document(path)
    text = normalise(raw.text)
    document = DocumentInfo(id=document_id(text), source=raw.source, language=identify(text).code)
    agenda = [AgendaItemOut(number=a.number, title=a.title, start=a.start, end=a.end) for a in agenda_items(text)]
    return Extraction(document=document, agenda_items=agenda, text=text)


def extract_file(path: Path | str) -> dict:
    """Extract one file into the JSON-ready dict of the contract."""
    return extract(path).model_dump(mode="json")
