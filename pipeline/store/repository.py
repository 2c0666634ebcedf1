"""Repository functions: store an extraction, record errors and runs, read back what is stored.

Every write here runs inside the caller's transaction (`db.session_scope`), so a document and
all its rows are committed together or not at all. Concurrent writers cannot create duplicates:
documents, sources, places and errors are keyed by unique constraints and written with
`INSERT … ON CONFLICT` (SQLite and PostgreSQL dialects).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.contract import (
    AgendaItemOut,
    Deadline as DeadlineOut,
    DocumentInfo,
    Extraction,
    Item as ItemOut,
    Participant as ParticipantOut,
    Responsible,
)

from .models import (
    AgendaItem,
    Base,
    County,
    Deadline,
    Document,
    DocumentMunicipality,
    IngestionError,
    Item,
    Municipality,
    Participant,
    Region,
    ResponsibleActor,
    Run,
    Source,
    utcnow,
)

#: DocumentInfo fields that have columns (or child tables) of their own; the rest go to `extra`.
_DOCUMENT_COLUMNS = {
    "language", "title", "body", "meeting_date", "next_meeting_date", "place", "chair", "secretary",
    "country", "topics",
}
_DOCUMENT_ELSEWHERE = {"id", "source", "participants", "county", "region", "municipalities"}
_EXTRACTION_FIELDS = {"schema_version", "document", "agenda_items", "items", "text"}
_ITEM_FIELDS = {"type", "text", "start", "end", "agenda_item", "responsible", "deadline", "topics", "confidence"}


@dataclass(frozen=True)
class Stored:
    """What storing one extraction did."""

    document_id: str
    created: bool  # a new document row
    rewritten: bool  # its results were (re)written; False when an identical document was already stored
    removed_document: str | None = None  # the file's previous document, deleted as no longer sourced


def _insert(session: Session, model: type[Base]):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"unsupported database dialect {dialect!r}: use SQLite or PostgreSQL")


def place_id(session: Session, model: type[Region] | type[County] | type[Municipality], name: str | None,
             country: str | None) -> int | None:
    """The id of a region, county or municipality, created when new (safe under concurrency)."""
    if not name:
        return None
    country = country or ""
    session.execute(_insert(session, model).values(name=name, country=country)
                    .on_conflict_do_nothing(index_elements=["name", "country"]))
    return session.scalar(select(model.id).where(model.name == name, model.country == country))


def _document_values(info: DocumentInfo, extraction: Extraction, *, county_id, region_id, run_id,
                     pipeline_version: str, model_version: str) -> dict[str, Any]:
    dumped = info.model_dump(mode="json")
    whole = extraction.model_dump(mode="json", include=set(type(extraction).model_fields) - _EXTRACTION_FIELDS)
    # Attributes of the contract without a column of their own are kept here, never dropped:
    # "document" → of DocumentInfo, "extraction" → of Extraction (e.g. `pipeline`, the versions).
    extra = {"document": {k: v for k, v in dumped.items() if k not in _DOCUMENT_COLUMNS | _DOCUMENT_ELSEWHERE},
             "extraction": whole}
    values = {k: dumped[k] for k in _DOCUMENT_COLUMNS}
    now = utcnow()
    return {
        **values,
        "id": info.id,
        "schema_version": extraction.schema_version,
        "county_id": county_id,
        "region_id": region_id,
        "extra": extra,
        "text": extraction.text,
        "pipeline_version": pipeline_version,
        "model_version": model_version,
        "run_id": run_id,
        "created_at": now,
        "updated_at": now,
    }


def _delete_children(session: Session, document_id: str) -> None:
    # responsible_actors and deadlines go with their items (ON DELETE CASCADE); explicit here too,
    # so that the result does not depend on the connection's foreign-key setting.
    item_ids = select(Item.id).where(Item.document_id == document_id).scalar_subquery()
    session.execute(delete(ResponsibleActor).where(ResponsibleActor.item_id.in_(item_ids)))
    session.execute(delete(Deadline).where(Deadline.item_id.in_(item_ids)))
    for model in (Item, AgendaItem, Participant, DocumentMunicipality):
        session.execute(delete(model).where(model.document_id == document_id))


def _write_children(session: Session, extraction: Extraction) -> None:
    info = extraction.document
    doc_id = info.id
    for n, person in enumerate(info.participants):
        session.add(Participant(document_id=doc_id, position=n, name=person.name, affiliation=person.affiliation))
    # Places are created in name order, so concurrent transactions lock them in the same order.
    ids = {name: place_id(session, Municipality, name, info.country) for name in sorted(set(info.municipalities))}
    seen: set[int] = set()
    for n, name in enumerate(info.municipalities):
        municipality = ids[name]
        if municipality is not None and municipality not in seen:
            seen.add(municipality)
            session.add(DocumentMunicipality(document_id=doc_id, municipality_id=municipality, position=n))
    agenda_rows = [
        AgendaItem(document_id=doc_id, position=n, number=a.number, title=a.title, start=a.start, end=a.end)
        for n, a in enumerate(extraction.agenda_items)
    ]
    session.add_all(agenda_rows)
    session.flush()
    by_number: dict[str, int] = {}
    for row in agenda_rows:
        if row.number is not None:
            by_number.setdefault(row.number, row.id)
    for n, item in enumerate(extraction.items):
        dumped = item.model_dump(mode="json")
        row = Item(
            document_id=doc_id, position=n, type=item.type, text=item.text, start=item.start, end=item.end,
            agenda_item=item.agenda_item, agenda_item_id=by_number.get(item.agenda_item or ""),
            confidence=item.confidence, topics=list(item.topics),
            extra={k: v for k, v in dumped.items() if k not in _ITEM_FIELDS},
            responsible=[ResponsibleActor(position=k, name=r.name, kind=r.kind) for k, r in enumerate(item.responsible)],
            deadline=Deadline(text=item.deadline.text, date=item.deadline.date) if item.deadline else None,
        )
        session.add(row)
    session.flush()


def store_extraction(session: Session, extraction: Extraction, *, uri: str, file_hash: str,
                     pipeline_version: str, model_version: str, fmt: str | None = None,
                     size: int | None = None, run_id: int | None = None, force: bool = False) -> Stored:
    """Store one file's extraction, replacing whatever that file and that document had before.

    The document is keyed by the sha256 of its text: a second file with the same text becomes a
    second source of the same document. An existing document's results are rewritten when it
    was made by another pipeline or model version (or `force`), else left as they are. The file's
    previous document, if it changed and no other source holds it, is deleted with its rows.
    """
    info = extraction.document
    county_id = place_id(session, County, info.county, info.country)
    region_id = place_id(session, Region, info.region, info.country)
    values = _document_values(info, extraction, county_id=county_id, region_id=region_id, run_id=run_id,
                              pipeline_version=pipeline_version, model_version=model_version)
    created = rewritten = False
    for _attempt in range(5):
        inserted = session.scalar(_insert(session, Document).values(**values)
                                  .on_conflict_do_nothing(index_elements=["id"]).returning(Document.id))
        if inserted is not None:
            created = rewritten = True
            break
        # Already stored: lock it (PostgreSQL; SQLite holds the database lock already).
        current = session.execute(
            select(Document.pipeline_version, Document.model_version, Document.schema_version)
            .where(Document.id == info.id).with_for_update()
        ).first()
        if current is None:  # deleted by a concurrent run between our insert and select: retry
            continue
        if force or tuple(current) != (pipeline_version, model_version, extraction.schema_version):
            _delete_children(session, info.id)
            update_values = {k: v for k, v in values.items() if k not in ("id", "created_at")}
            session.execute(update(Document).where(Document.id == info.id).values(**update_values))
            rewritten = True
        break
    else:  # pragma: no cover - needs a pathological race
        raise RuntimeError(f"could not store document {info.id} for {uri}")
    if rewritten:
        _write_children(session, extraction)

    previous = session.scalar(select(Source.document_id).where(Source.uri == uri).with_for_update())
    now = utcnow()
    session.execute(
        _insert(session, Source)
        .values(uri=uri, file_hash=file_hash, format=fmt, size=size, document_id=info.id, run_id=run_id,
                first_seen=now, updated_at=now)
        .on_conflict_do_update(
            index_elements=["uri"],
            set_={"file_hash": file_hash, "format": fmt, "size": size, "document_id": info.id,
                  "run_id": run_id, "updated_at": now},
        )
    )
    removed = None
    if previous is not None and previous != info.id and delete_orphan(session, previous):
        removed = previous
    clear_error(session, uri)
    return Stored(document_id=info.id, created=created, rewritten=rewritten, removed_document=removed)


def delete_orphan(session: Session, document_id: str) -> bool:
    """Delete a document (and its rows) that no source holds any more; True when deleted."""
    orphan = ~exists().where(Source.document_id == document_id)
    locked = session.scalar(select(Document.id).where(Document.id == document_id, orphan).with_for_update())
    if locked is None:
        return False
    _delete_children(session, document_id)
    deleted = session.scalar(delete(Document).where(Document.id == document_id, orphan).returning(Document.id))
    return deleted is not None


# --- errors -----------------------------------------------------------------------------------

def record_error(session: Session, uri: str, stage: str, message: str, *, file_hash: str | None = None,
                 run_id: int | None = None) -> None:
    """Record (or update) the current problem of a file; one row a file."""
    now = utcnow()
    session.execute(
        _insert(session, IngestionError)
        .values(uri=uri, stage=stage, message=message, file_hash=file_hash, run_id=run_id, attempts=1,
                first_seen=now, last_seen=now)
        .on_conflict_do_update(
            index_elements=["uri"],
            set_={"stage": stage, "message": message, "file_hash": file_hash, "run_id": run_id, "last_seen": now,
                  "attempts": IngestionError.attempts + 1},
        )
    )


def clear_error(session: Session, uri: str) -> None:
    session.execute(delete(IngestionError).where(IngestionError.uri == uri))


def errors(session: Session) -> list[IngestionError]:
    return list(session.scalars(select(IngestionError).order_by(IngestionError.uri)))


# --- what is stored ----------------------------------------------------------------------------

def stored_hashes(session: Session, uris: Iterable[str] | None = None) -> dict[str, str]:
    """uri → file hash of the sources whose document is stored and who have no open error."""
    query = (select(Source.uri, Source.file_hash)
             .where(Source.document_id.is_not(None), ~exists().where(IngestionError.uri == Source.uri)))
    if uris is not None:
        wanted = list(uris)
        if len(wanted) <= 500:
            query = query.where(Source.uri.in_(wanted))
    return {uri: file_hash for uri, file_hash in session.execute(query)}


def stale_documents(session: Session, pipeline_version: str, model_version: str,
                    everything: bool = False) -> list[tuple[str, list[str]]]:
    """(document id, its source uris) for documents made by other versions (or all of them)."""
    query = select(Document.id, Source.uri).join(Source, Source.document_id == Document.id)
    if not everything:
        query = query.where((Document.pipeline_version != pipeline_version) | (Document.model_version != model_version))
    out: dict[str, list[str]] = {}
    for doc_id, uri in session.execute(query.order_by(Document.id, Source.uri)):
        out.setdefault(doc_id, []).append(uri)
    return list(out.items())


def counts(session: Session) -> dict[str, int]:
    """Rows a table, for reports and tests."""
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def load_extraction(session: Session, document_id: str, source: str | None = None) -> Extraction | None:
    """A stored document back as the contract's Extraction (inverse of `store_extraction`)."""
    doc = session.get(Document, document_id)
    if doc is None:
        return None
    if source is None:
        source = session.scalar(select(Source.uri).where(Source.document_id == document_id).order_by(Source.uri)) or ""
    info = DocumentInfo(
        id=doc.id, source=source, language=doc.language, title=doc.title, body=doc.body,
        meeting_date=doc.meeting_date, next_meeting_date=doc.next_meeting_date, place=doc.place,
        participants=[ParticipantOut(name=p.name, affiliation=p.affiliation) for p in doc.participants],
        chair=doc.chair, secretary=doc.secretary, country=doc.country,
        county=doc.county.name if doc.county else None, region=doc.region.name if doc.region else None,
        municipalities=[m.name for m in doc.municipalities], topics=list(doc.topics or []),
        **(doc.extra or {}).get("document", {}),
    )
    items = [
        ItemOut(
            type=i.type, text=i.text, start=i.start, end=i.end, agenda_item=i.agenda_item,
            responsible=[Responsible(name=r.name, kind=r.kind) for r in i.responsible],
            deadline=DeadlineOut(text=i.deadline.text, date=i.deadline.date) if i.deadline else None,
            topics=list(i.topics or []), confidence=i.confidence, **(i.extra or {}),
        )
        for i in doc.items
    ]
    agenda = [AgendaItemOut(number=a.number, title=a.title, start=a.start, end=a.end) for a in doc.agenda_items]
    return Extraction(schema_version=doc.schema_version, document=info, agenda_items=agenda, items=items,
                      text=doc.text, **(doc.extra or {}).get("extraction", {}))


# --- runs --------------------------------------------------------------------------------------

def start_run(session: Session, *, kind: str, targets: Sequence[str], pipeline_version: str, model_version: str,
              flow_run_id: str | None = None) -> int:
    run = Run(kind=kind, status="running", targets=list(targets), pipeline_version=pipeline_version,
              model_version=model_version, flow_run_id=flow_run_id, started_at=utcnow())
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, run_id: int, *, status: str, files_seen: int, files_unchanged: int,
               documents_stored: int, errors: int) -> None:
    session.execute(update(Run).where(Run.id == run_id).values(
        status=status, finished_at=utcnow(), files_seen=files_seen, files_unchanged=files_unchanged,
        documents_stored=documents_stored, errors=errors))
