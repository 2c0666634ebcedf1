"""The JSON contract of `minutes extract` (ANNOTATION.md), as typed models."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

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
    """One document's extraction: one line of `minutes extract` output."""

    schema_version: int = SCHEMA_VERSION
    document: DocumentInfo
    agenda_items: list[AgendaItemOut] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    text: str
