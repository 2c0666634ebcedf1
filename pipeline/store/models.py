"""The database schema, as SQLAlchemy 2 typed models.

One row a thing of the contract (ANNOTATION.md): a *document* is identified by the sha256 of
its normalised text; a *source* is one file (path or URI) that yields a document, so the same
text under two paths is one document with two sources. A document's children (participants,
agenda items, items with their responsible actors and deadline) are replaced together when it
is re-extracted. *runs* record each ingestion; *ingestion_errors* hold the current problem of
each file that failed, until it succeeds.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Region(Base):
    """A collaboration region (e.g. Gauldalsregionen, Skaraborg)."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("name", "country"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), default="")  # "" when unknown


class County(Base):
    """A fylke or län."""

    __tablename__ = "counties"
    __table_args__ = (UniqueConstraint("name", "country"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), default="")


class Municipality(Base):
    __tablename__ = "municipalities"
    __table_args__ = (UniqueConstraint("name", "country"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2), default="")
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id", ondelete="SET NULL"))


class Run(Base):
    """One ingestion or reprocessing run: when, what it did, with which versions."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="ingest")  # ingest | reprocess
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | completed | failed
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pipeline_version: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(80))
    targets: Mapped[list[str]] = mapped_column(default=list)
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    files_seen: Mapped[int] = mapped_column(Integer, default=0)
    files_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    documents_stored: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the normalised text
    schema_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    meeting_date: Mapped[str | None] = mapped_column(String(32), index=True)  # ISO, as in the contract
    next_meeting_date: Mapped[str | None] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(Text)
    chair: Mapped[str | None] = mapped_column(Text)
    secretary: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    county_id: Mapped[int | None] = mapped_column(ForeignKey("counties.id", ondelete="SET NULL"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"), index=True)
    topics: Mapped[list[str]] = mapped_column(default=list)
    #: document attributes of the contract that have no column of their own (kept, not lost)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str] = mapped_column(Text)
    pipeline_version: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(80))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    county: Mapped[County | None] = relationship()
    region: Mapped[Region | None] = relationship()
    sources: Mapped[list[Source]] = relationship(back_populates="document", passive_deletes=True)
    participants: Mapped[list[Participant]] = relationship(order_by="Participant.position", passive_deletes=True)
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary="document_municipalities", order_by="DocumentMunicipality.position", viewonly=True
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(order_by="AgendaItem.position", passive_deletes=True)
    items: Mapped[list[Item]] = relationship(order_by="Item.position", passive_deletes=True)


class Source(Base):
    """One file (path or URI) and the hash of its bytes when it was last stored."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uri: Mapped[str] = mapped_column(Text, unique=True)
    file_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the file's bytes
    format: Mapped[str | None] = mapped_column(String(16))
    size: Mapped[int | None] = mapped_column(BigInteger)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[Document | None] = relationship(back_populates="sources")


class DocumentMunicipality(Base):
    __tablename__ = "document_municipalities"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("document_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("document_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)


class Item(Base):
    """A decision or an action; `start`/`end` index into its document's text."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("document_id", "position"), Index(None, "type"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))  # decision | action
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    agenda_item: Mapped[str | None] = mapped_column(Text)  # the agenda item's number, as in the contract
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    confidence: Mapped[float] = mapped_column(Float)
    topics: Mapped[list[str]] = mapped_column(default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    responsible: Mapped[list[ResponsibleActor]] = relationship(
        order_by="ResponsibleActor.position", passive_deletes=True
    )
    deadline: Mapped[Deadline | None] = relationship(passive_deletes=True)


class ResponsibleActor(Base):
    __tablename__ = "responsible_actors"
    __table_args__ = (UniqueConstraint("item_id", "position"), Index(None, "name"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # person | role | body | municipality


class Deadline(Base):
    __tablename__ = "deadlines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(32), index=True)  # YYYY-MM-DD or YYYY-MM


class IngestionError(Base):
    """The current problem of a file that failed; deleted when the file next succeeds."""

    __tablename__ = "ingestion_errors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uri: Mapped[str] = mapped_column(Text, unique=True)
    stage: Mapped[str] = mapped_column(String(20))  # discover | read | extract | store
    message: Mapped[str] = mapped_column(Text)
    file_hash: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
