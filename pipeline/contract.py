"""The JSON contract of `minutes extract` (ANNOTATION.md), as typed models."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from spacy.tokens import Doc

from .normalise import document_id

SCHEMA_VERSION = 1


class Participant(BaseModel):
    name: str
    affiliation: str | None = None


class DocumentInfo(BaseModel):
    """Document attributes; unknown values are null or empty, never guessed."""

    id: str
    source: str
    language: str
    title: str | None = None
    body: str | None = None
    meeting_date: str | None = None
    next_meeting_date: str | None = None
    place: str | None = None
    participants: list[Participant] = Field(default_factory=list)
    chair: str | None = None
    secretary: str | None = None
    country: Literal["NO", "SE"] | None = None
    county: str | None = None
    region: str | None = None
    municipalities: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)


class AgendaItemOut(BaseModel):
    number: str | None
    title: str
    start: int
    end: int


class Responsible(BaseModel):
    name: str
    kind: Literal["person", "role", "body", "municipality"]


class Deadline(BaseModel):
    text: str
    date: str | None = None


class Item(BaseModel):
    type: Literal["decision", "action"]
    text: str
    start: int
    end: int
    agenda_item: str | None = None
    responsible: list[Responsible] = Field(default_factory=list)
    deadline: Deadline | None = None
    topics: list[str] = Field(default_factory=list)
    confidence: float


class Extraction(BaseModel):
    """One document's extraction: one line of `minutes extract` output.

    `pipeline` (beyond ANNOTATION.md's fields) records what made it: the minutes version and the
    spaCy pipeline's name and version, so every result can be traced.
    """

    schema_version: int = SCHEMA_VERSION
    document: DocumentInfo
    agenda_items: list[AgendaItemOut] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    text: str
    pipeline: dict[str, str] = Field(default_factory=dict)


def from_doc(doc: Doc, source: str, versions: dict[str, str]) -> Extraction:
    """Build the contract from a Doc that has run the minutes components (the agenda is the
    one `minutes_candidates` found)."""
    meta = doc._.meta
    text = doc.text  # rebuilt from the tokens on every access: read it once
    agenda = [AgendaItemOut(number=a.number, title=a.title, start=a.start, end=a.end) for a in doc._.agenda]
    document = DocumentInfo(
        id=document_id(text),
        source=source,
        language=doc._.language,
        title=meta.title,
        body=meta.body,
        meeting_date=_iso(meta.meeting_date),
        next_meeting_date=_iso(meta.next_meeting_date),
        place=meta.place,
        participants=[Participant(name=n, affiliation=a) for n, a in meta.participants],
        chair=meta.chair,
        secretary=meta.secretary,
        country=meta.country,
        county=meta.county,
        region=meta.region,
        municipalities=meta.municipalities,
        topics=list(doc._.topics),
    )
    items = []
    for span in doc.spans.get("items", []):
        deadline = span._.deadline
        items.append(Item(
            type=span.label_,
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            agenda_item=(span._.agenda_item.number or span._.agenda_item.title) if span._.agenda_item else None,
            responsible=[Responsible(name=n, kind=k) for n, k in span._.responsible] if span.label_ == "action" else [],
            deadline=Deadline(text=deadline.text, date=deadline.date) if deadline else None,
            topics=list(span._.topics),
            confidence=round(float(span._.confidence), 4),
        ))
    return Extraction(document=document, agenda_items=agenda, items=items, text=text, pipeline=versions)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
