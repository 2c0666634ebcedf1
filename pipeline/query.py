"""Read-only queries for analysts: items with filters, comparisons, statistics, one document.

One place for the query logic of the `minutes actions|decisions|compare|show|stats` commands
and of the web page (`minutes serve`). Everything here only reads, with parameterised
SQLAlchemy statements (no SQL is ever built from user text), on SQLite and PostgreSQL.

Conventions an analyst can rely on:

- **Topics** of an item are the item's own `topics`; of a document, the document-level `topics`.
- **Deadlines** are `YYYY-MM-DD` or `YYYY-MM` (month only). For ranges and sorting a month-only
  deadline counts as the 1st of its month; it is *overdue* only once the whole month is over.
  Deadlines without a resolved date never match a deadline range and are never overdue.
- **Places** (country, county, region, municipality, language) match whole names, ignoring
  ASCII case; `body`, `responsible` and free text match any part (`text` searches the item text
  and the document title).
- Filter values that are not valid (a malformed date, an unknown topic) give no results and an
  error message, never an exception or a broader result.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Text,
    and_,
    case,
    cast,
    create_engine,
    distinct,
    event,
    exists,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from .store.db import database_url, redacted
from .store.models import (
    AgendaItem,
    County,
    Deadline,
    Document,
    DocumentMunicipality,
    Item,
    Municipality,
    Participant,
    Region,
    ResponsibleActor,
    Source,
)

#: The topic taxonomy of ANNOTATION.md (ids are fixed), with short labels for tables and charts.
TOPICS: dict[str, str] = {
    "learning_environment": "Learning environment",
    "digitalisation": "Digitalisation",
    "assessment_results": "Assessment & results",
    "competence_development": "Competence development",
    "curriculum": "Curriculum",
    "finance": "Finance",
    "special_needs_inclusion": "Special needs & inclusion",
    "newcomers_language": "Newcomers & language",
    "quality_management": "Quality management",
    "organisation_governance": "Organisation & governance",
    "participation_home_school": "Participation, home–school",
    "health_wellbeing": "Health & wellbeing",
    "transitions": "Transitions",
    "indigenous_minority": "Indigenous & minorities",
    "staffing": "Staffing",
    "early_childhood_afterschool": "Early childhood & after-school",
    "privacy_data_protection": "Privacy & data protection",
}
ITEM_TYPES = ("action", "decision")
GROUPINGS = ("region", "county", "municipality")
PERIODS = ("year", "quarter", "all")
UNKNOWN = "(unknown)"

#: sort keys an analyst may ask for → what they sort on (anything else falls back to the default)
SORT_KEYS = ("deadline", "meeting_date", "body", "region", "county", "title", "type", "confidence")

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
_ISO_YEAR = re.compile(r"^\d{4}$")
_ESCAPE = "\\"


class QueryError(ValueError):
    """A filter value that cannot be used (reported to the user, never a crash)."""


# --- the read-only engine -----------------------------------------------------------------------

def read_only_engine(url: str | None = None) -> Engine:
    """An engine that cannot write: SQLite opened read-only (`mode=ro`, `query_only`), PostgreSQL
    in read-only transactions. A missing SQLite file is an error, never created."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            raise QueryError(f"not a database file: {redacted(url)}")
        path = Path(database).expanduser().resolve()
        if not path.is_file():
            raise QueryError(f"no database at {path}: store documents first with `minutes ingest`")
        engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true",
                               connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection, _record) -> None:  # pragma: no cover - exercised via engine
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA query_only=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    connect_args = {"options": "-c default_transaction_read_only=on"} if parsed.get_backend_name() == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def check_schema(engine: Engine) -> None:
    """Raise QueryError when the database has no minutes schema (nothing stored yet)."""
    try:
        tables = set(inspect(engine).get_table_names())
    except Exception as exc:  # noqa: BLE001 - reported to the user
        raise QueryError(f"cannot open {redacted(str(engine.url))}: {exc}") from exc
    missing = {"documents", "items"} - tables
    if missing:
        raise QueryError(f"{redacted(str(engine.url))} has no minutes tables ({', '.join(sorted(missing))}): "
                         "run `minutes ingest` (or `minutes migrate`) first")


# --- filters ------------------------------------------------------------------------------------

@dataclass
class Filters:
    """What to select. Empty values select everything; all values are compared as parameters."""

    country: str | None = None
    county: str | None = None
    region: str | None = None
    municipality: str | None = None
    body: str | None = None
    topics: list[str] = field(default_factory=list)  # any of them
    responsible: str | None = None
    language: str | None = None
    date_from: str | None = None  # meeting date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD
    date_to: str | None = None
    deadline_from: str | None = None
    deadline_to: str | None = None
    overdue: bool = False
    today: str | None = None  # the reference day of `overdue` (default: today)
    text: str | None = None
    document: str | None = None  # one document id

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                value = value.strip()
                setattr(self, f.name, value or None)
        self.topics = [t.strip() for t in self.topics or [] if t and t.strip()]

    def errors(self) -> list[str]:
        """Problems with the values (each makes the result empty)."""
        problems = []
        for name in ("date_from", "date_to", "deadline_from", "deadline_to", "today"):
            value = getattr(self, name)
            if value is not None and not _valid_date(value):
                problems.append(f"{name.replace('_', ' ')}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        for topic in self.topics:
            if topic not in TOPICS:
                problems.append(f"topic: {topic!r} is not a topic id (one of {', '.join(TOPICS)})")
        if self.country is not None and self.country.upper() not in ("NO", "SE"):
            problems.append(f"country: {self.country!r} is not NO or SE")
        return problems

    def active(self) -> dict[str, Any]:
        """The filters that are set (for headings and exports)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, [], False)}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        """From web query parameters (a Starlette QueryParams or a plain dict of str/list)."""
        def one(name: str) -> str | None:
            value = params.get(name)
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            return value if isinstance(value, str) else None

        if hasattr(params, "getlist"):
            topics = list(params.getlist("topic"))
        else:
            raw = params.get("topic") or []
            topics = [raw] if isinstance(raw, str) else list(raw)
        topics = [t for value in topics for t in str(value).split(",")]
        return cls(
            country=one("country"), county=one("county"), region=one("region"), municipality=one("municipality"),
            body=one("body"), topics=topics, responsible=one("responsible"), language=one("language"),
            date_from=one("from"), date_to=one("to"), deadline_from=one("deadline_from"),
            deadline_to=one("deadline_to"), overdue=(one("overdue") or "").lower() in ("1", "true", "on", "yes"),
            today=one("today"), text=one("q"), document=one("document"),
        )


def _valid_date(value: str) -> bool:
    if _ISO_YEAR.match(value):
        return True
    try:
        if _ISO_MONTH.match(value):
            date.fromisoformat(value + "-01")
            return True
        if _ISO_DAY.match(value):
            date.fromisoformat(value)
            return True
    except ValueError:
        return False
    return False


def _lower_bound(value: str) -> str:
    """The first day a YYYY / YYYY-MM / YYYY-MM-DD value covers."""
    return {4: value + "-01-01", 7: value + "-01"}.get(len(value), value)


def _upper_bound(value: str) -> str:
    """A string ≥ every day the value covers (for inclusive `<=` on ISO strings)."""
    return value if len(value) == 10 else value + "-99"


def _like(value: str) -> str:
    return value.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")


def _is(column, value: str):
    """Whole-value match ignoring ASCII case (a parameterised LIKE without wildcards)."""
    return column.ilike(_like(value), escape=_ESCAPE)


def _contains(column, value: str):
    return column.ilike(f"%{_like(value)}%", escape=_ESCAPE)


def _has_topic(column, topic: str):
    """The JSON list `column` holds `topic` (topic ids are validated: [a-z_]+)."""
    return cast(column, Text()).like(f'%"{_like(topic)}"%', escape=_ESCAPE)


def deadline_key():
    """The deadline date as a comparable day: YYYY-MM counts as YYYY-MM-01."""
    return case((func.length(Deadline.date) == 7, Deadline.date + literal("-01")), else_=Deadline.date)


def _document_conditions(filters: Filters) -> list:
    conditions = []
    if filters.document:
        conditions.append(Document.id == filters.document)
    if filters.country:
        conditions.append(Document.country == filters.country.upper())
    if filters.language:
        conditions.append(_is(Document.language, filters.language))
    if filters.body:
        conditions.append(_contains(Document.body, filters.body))
    # aliases: the outer query may join these tables itself (and must not be correlated away)
    if filters.county:
        county = aliased(County)
        conditions.append(exists().where(county.id == Document.county_id, _is(county.name, filters.county)))
    if filters.region:
        region = aliased(Region)
        conditions.append(exists().where(region.id == Document.region_id, _is(region.name, filters.region)))
    if filters.municipality:
        link, place = aliased(DocumentMunicipality), aliased(Municipality)
        conditions.append(exists().where(
            link.document_id == Document.id, place.id == link.municipality_id,
            _is(place.name, filters.municipality)))
    if filters.date_from:
        conditions.append(Document.meeting_date >= _lower_bound(filters.date_from))
    if filters.date_to:
        conditions.append(Document.meeting_date <= _upper_bound(filters.date_to))
    return conditions


def _item_conditions(filters: Filters, kind: str | None) -> list:
    if filters.errors():
        return [false()]
    conditions = _document_conditions(filters)
    if kind:
        conditions.append(Item.type == kind)
    if filters.topics:
        conditions.append(or_(*(_has_topic(Item.topics, t) for t in filters.topics)))
    if filters.responsible:
        conditions.append(exists().where(ResponsibleActor.item_id == Item.id,
                                         _contains(ResponsibleActor.name, filters.responsible)))
    if filters.text:
        conditions.append(or_(_contains(Item.text, filters.text), _contains(Document.title, filters.text)))
    key = deadline_key()
    if filters.deadline_from:
        conditions.append(key >= _lower_bound(filters.deadline_from))
    if filters.deadline_to:
        conditions.append(key <= _upper_bound(filters.deadline_to))
    if filters.overdue:
        today = _lower_bound(filters.today) if filters.today else date.today().isoformat()
        conditions.append(or_(
            and_(func.length(Deadline.date) == 10, Deadline.date < today),
            and_(func.length(Deadline.date) == 7, Deadline.date < today[:7]),
        ))
    return conditions


# --- items --------------------------------------------------------------------------------------

@dataclass
class ItemRow:
    """One decision or action with its document's context, ready for tables and exports."""

    id: int
    type: str
    text: str
    responsible: list[str]
    deadline_text: str | None
    deadline_date: str | None
    topics: list[str]
    confidence: float
    agenda_item: str | None
    agenda_title: str | None
    document_id: str
    position: int
    start: int
    end: int
    title: str | None
    body: str | None
    meeting_date: str | None
    country: str | None
    county: str | None
    region: str | None
    municipalities: list[str]
    language: str | None

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _sort_columns(sort: str | None, descending: bool):
    key = deadline_key()
    columns = {
        "deadline": key, "meeting_date": Document.meeting_date, "body": Document.body, "region": Region.name,
        "county": County.name, "title": Document.title, "type": Item.type, "confidence": Item.confidence,
    }
    column = columns.get(sort or "", None)
    order = []
    if column is not None:
        order += [case((column.is_(None), 1), else_=0), column.desc() if descending else column.asc()]
    else:  # default: newest meetings first, then the document's order
        order += [case((Document.meeting_date.is_(None), 1), else_=0), Document.meeting_date.desc()]
    return order + [Document.id, Item.position]


def _items_select(filters: Filters, kind: str | None):
    agenda = aliased(AgendaItem)
    query = (
        select(Item.id, Item.type, Item.text, Deadline.text, Deadline.date, Item.topics, Item.confidence,
               Item.agenda_item, agenda.title, Document.id, Item.position, Document.title, Document.body,
               Document.meeting_date, Document.country, County.name, Region.name, Document.language,
               Item.start, Item.end)
        .join(Document, Document.id == Item.document_id)
        .outerjoin(Deadline, Deadline.item_id == Item.id)
        .outerjoin(agenda, agenda.id == Item.agenda_item_id)
        .outerjoin(County, County.id == Document.county_id)
        .outerjoin(Region, Region.id == Document.region_id)
    )
    return query.where(*_item_conditions(filters, kind))


def count_items(session: Session, filters: Filters, kind: str | None = None) -> int:
    """How many items match (only the joins the filters need)."""
    query = (select(func.count(Item.id)).select_from(Item).join(Document, Document.id == Item.document_id)
             .outerjoin(Deadline, Deadline.item_id == Item.id).where(*_item_conditions(filters, kind)))
    return session.scalar(query) or 0


def list_items(session: Session, filters: Filters, kind: str | None = None, *, sort: str | None = None,
               descending: bool = False, limit: int | None = None, offset: int = 0) -> list[ItemRow]:
    """The items matching `filters` (of `kind` "action"/"decision", or both), sorted."""
    query = _items_select(filters, kind).order_by(*_sort_columns(sort, descending))
    if limit is not None:
        query = query.limit(max(0, int(limit)))
    if offset:
        query = query.offset(max(0, int(offset)))
    rows = session.execute(query).all()
    item_ids = [r[0] for r in rows]
    doc_ids = sorted({r[9] for r in rows})
    responsible: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(item_ids):
        for item_id, name in session.execute(
                select(ResponsibleActor.item_id, ResponsibleActor.name)
                .where(ResponsibleActor.item_id.in_(chunk))
                .order_by(ResponsibleActor.item_id, ResponsibleActor.position)):
            responsible[item_id].append(name)
    places = _municipalities(session, doc_ids)
    return [
        ItemRow(id=r[0], type=r[1], text=r[2], responsible=responsible.get(r[0], []), deadline_text=r[3],
                deadline_date=r[4], topics=list(r[5] or []), confidence=r[6], agenda_item=r[7], agenda_title=r[8],
                document_id=r[9], position=r[10], title=r[11], body=r[12], meeting_date=r[13], country=r[14],
                county=r[15], region=r[16], municipalities=places.get(r[9], []), language=r[17],
                start=r[18], end=r[19])
        for r in rows
    ]


def _chunks(values: Sequence, size: int = 500) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _municipalities(session: Session, doc_ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(list(doc_ids)):
        for doc_id, name in session.execute(
                select(DocumentMunicipality.document_id, Municipality.name)
                .join(Municipality, Municipality.id == DocumentMunicipality.municipality_id)
                .where(DocumentMunicipality.document_id.in_(chunk))
                .order_by(DocumentMunicipality.document_id, DocumentMunicipality.position)):
            out[doc_id].append(name)
    return out


# --- comparison ---------------------------------------------------------------------------------

@dataclass
class CompareRow:
    """Counts for one group (region/county/municipality), period and topic."""

    group: str
    period: str
    topic: str
    documents: int  # documents of the group and period whose document topics include the topic
    decisions: int  # decisions with the topic
    actions: int  # actions with the topic
    total_documents: int  # all documents of the group and period (the normaliser)

    @property
    def documents_share(self) -> float:
        return self.documents / self.total_documents if self.total_documents else 0.0

    @property
    def decisions_per_document(self) -> float:
        return self.decisions / self.total_documents if self.total_documents else 0.0

    @property
    def actions_per_document(self) -> float:
        return self.actions / self.total_documents if self.total_documents else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.group, "period": self.period, "topic": self.topic, "documents": self.documents,
                "decisions": self.decisions, "actions": self.actions, "total_documents": self.total_documents,
                "documents_share": round(self.documents_share, 4),
                "decisions_per_document": round(self.decisions_per_document, 4),
                "actions_per_document": round(self.actions_per_document, 4)}


def _group_column(by: str):
    if by == "region":
        return Region.name, [(Region, Region.id == Document.region_id)]
    if by == "county":
        return County.name, [(County, County.id == Document.county_id)]
    if by == "municipality":
        return Municipality.name, [(DocumentMunicipality, DocumentMunicipality.document_id == Document.id),
                                   (Municipality, Municipality.id == DocumentMunicipality.municipality_id)]
    raise QueryError(f"--by must be one of {', '.join(GROUPINGS)}, not {by!r}")


def _period_of(meeting_date: str | None, period: str) -> str:
    if period == "all":
        return "all"
    if not meeting_date or len(meeting_date) < 4 or not meeting_date[:4].isdigit():
        return UNKNOWN
    if period == "year":
        return meeting_date[:4]
    month = meeting_date[5:7]
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return UNKNOWN
    return f"{meeting_date[:4]}-Q{(int(month) + 2) // 3}"


def _topic_sums(column, topics: Sequence[str]) -> list:
    """One SUM per topic: how many rows' JSON list `column` holds it (a single scan, any dialect;
    faster than expanding the lists with json_each / jsonb_array_elements_text)."""
    return [func.sum(case((_has_topic(column, t), 1), else_=0)) for t in topics]


def compare(session: Session, by: str = "region", topics: Sequence[str] = (), period: str = "year",
            filters: Filters | None = None) -> list[CompareRow]:
    """Decisions, actions and documents per topic for each group and period (all topics when
    `topics` is empty), with every group/period's document count for normalising."""
    filters = filters or Filters()
    if period not in PERIODS:
        raise QueryError(f"--period must be one of {', '.join(PERIODS)}, not {period!r}")
    group, joins = _group_column(by)
    topics = list(topics) or list(TOPICS)
    for topic in topics:
        if topic not in TOPICS:
            raise QueryError(f"unknown topic {topic!r} (one of {', '.join(TOPICS)})")
    if filters.errors():
        return []
    doc_conditions = _document_conditions(replace(filters, topics=[], responsible=None, text=None))
    month = func.substr(Document.meeting_date, 1, 7)

    def grouped(query):
        for model, on in joins:
            query = query.outerjoin(model, on)
        return query.where(*doc_conditions)

    totals: dict[tuple[str, str], int] = defaultdict(int)
    for name, when, n in session.execute(grouped(
            select(group, month, func.count(distinct(Document.id))).select_from(Document)).group_by(group, month)):
        totals[(name or UNKNOWN, _period_of(when, period))] += n

    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    # per group each document (and item) occurs once, so sums are counts of distinct documents/items
    query = grouped(select(group, month, *_topic_sums(Document.topics, topics)).select_from(Document))
    for name, when, *sums in session.execute(query.group_by(group, month)):
        for topic, n in zip(topics, sums):
            if n:
                counts[(name or UNKNOWN, _period_of(when, period), topic)][0] += int(n)
    query = grouped(select(group, month, Item.type, *_topic_sums(Item.topics, topics))
                    .select_from(Document).join(Item, Item.document_id == Document.id))
    for name, when, kind, *sums in session.execute(query.group_by(group, month, Item.type)):
        if kind not in ITEM_TYPES:
            continue
        for topic, n in zip(topics, sums):
            if n:
                counts[(name or UNKNOWN, _period_of(when, period), topic)][1 if kind == "decision" else 2] += int(n)
    rows = [CompareRow(group=g, period=p, topic=t, documents=c[0], decisions=c[1], actions=c[2],
                       total_documents=totals.get((g, p), 0))
            for (g, p, t), c in counts.items()]
    order = {t: n for n, t in enumerate(TOPICS)}
    rows.sort(key=lambda r: (r.group == UNKNOWN, r.group.lower(), r.period, order.get(r.topic, 99)))
    return rows


def heat_map(rows: Sequence[CompareRow], metric: str = "actions_per_document") -> tuple[list[str], list[str], dict]:
    """(groups, topics, {(group, topic): value}) summed over periods; per-document metrics are
    recomputed over the group's documents of all periods."""
    totals: dict[tuple[str, str], int] = {}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        totals[(r.group, r.period)] = r.total_documents
        s = sums[(r.group, r.topic)]
        s[0] += r.documents
        s[1] += r.decisions
        s[2] += r.actions
    group_docs: dict[str, int] = defaultdict(int)
    for (g, _p), n in totals.items():
        group_docs[g] += n
    values = {}
    for (g, t), (docs, decisions, actions) in sums.items():
        values[(g, t)] = _metric(metric, docs, decisions, actions, group_docs[g])
    groups = sorted({g for g, _ in sums}, key=lambda g: (g == UNKNOWN, g.lower()))
    order = {t: n for n, t in enumerate(TOPICS)}
    topics = sorted({t for _, t in sums}, key=lambda t: order.get(t, 99))
    return groups, topics, values


def trend(rows: Sequence[CompareRow], metric: str = "actions_per_document") -> tuple[list[str], dict[str, dict[str, float]]]:
    """(periods, {group: {period: value}}) summed over the selected topics."""
    totals: dict[tuple[str, str], int] = {}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        totals[(r.group, r.period)] = r.total_documents
        s = sums[(r.group, r.period)]
        s[0] += r.documents
        s[1] += r.decisions
        s[2] += r.actions
    periods = sorted({p for _, p in sums if p != UNKNOWN})
    series: dict[str, dict[str, float]] = defaultdict(dict)
    for (g, p), (docs, decisions, actions) in sums.items():
        if p != UNKNOWN:
            series[g][p] = _metric(metric, docs, decisions, actions, totals.get((g, p), 0))
    return periods, dict(series)


METRICS = {
    "actions_per_document": "actions per document",
    "decisions_per_document": "decisions per document",
    "documents_share": "share of documents on the topic",
    "actions": "actions",
    "decisions": "decisions",
    "documents": "documents on the topic",
}


def _metric(metric: str, docs: int, decisions: int, actions: int, total: int) -> float:
    if metric == "actions":
        return float(actions)
    if metric == "decisions":
        return float(decisions)
    if metric == "documents":
        return float(docs)
    if not total:
        return 0.0
    return {"decisions_per_document": decisions, "documents_share": docs}.get(metric, actions) / total


# --- statistics ---------------------------------------------------------------------------------

def stats(session: Session, today: str | None = None) -> dict[str, Any]:
    """What the store holds: counts, date range, and breakdowns by country, language, region, topic."""
    today = today or date.today().isoformat()
    n_docs = session.scalar(select(func.count()).select_from(Document)) or 0
    by_type = dict(session.execute(select(Item.type, func.count()).group_by(Item.type)).all())
    with_deadline = session.scalar(select(func.count()).select_from(Item).join(Deadline, Deadline.item_id == Item.id)
                                   .where(Item.type == "action", Deadline.date.is_not(None))) or 0
    overdue = count_items(session, Filters(overdue=True, today=today), "action")
    first, last = session.execute(select(func.min(Document.meeting_date), func.max(Document.meeting_date))).one()

    def breakdown(column, *joins) -> list[tuple[str, int]]:
        query = select(column, func.count(distinct(Document.id))).select_from(Document)
        for model, on in joins:
            query = query.outerjoin(model, on)
        rows = session.execute(query.group_by(column)).all()
        return sorted(((name or UNKNOWN, n) for name, n in rows), key=lambda r: (-r[1], r[0]))

    topic_counts = dict(zip(TOPICS, session.execute(select(*_topic_sums(Item.topics, list(TOPICS)))).one()))
    return {
        "documents": n_docs,
        "decisions": by_type.get("decision", 0),
        "actions": by_type.get("action", 0),
        "actions_with_deadline": with_deadline,
        "overdue_actions": overdue,
        "today": today,
        "first_meeting": first,
        "last_meeting": last,
        "sources": session.scalar(select(func.count()).select_from(Source)) or 0,
        "by_country": breakdown(Document.country),
        "by_language": breakdown(Document.language),
        "by_county": breakdown(County.name, (County, County.id == Document.county_id)),
        "by_region": breakdown(Region.name, (Region, Region.id == Document.region_id)),
        "items_by_topic": sorted(((t, int(n)) for t, n in topic_counts.items() if n), key=lambda r: (-r[1], r[0])),
    }


def choices(session: Session) -> dict[str, list[str]]:
    """Values for filter drop-downs: regions, counties, municipalities, bodies, languages."""
    def names(column) -> list[str]:
        return sorted({v for v in session.scalars(select(column).distinct()) if v}, key=str.lower)

    return {"region": names(Region.name), "county": names(County.name), "municipality": names(Municipality.name),
            "language": names(Document.language), "country": names(Document.country)}


# --- one document -------------------------------------------------------------------------------

@dataclass
class Segment:
    """A stretch of a document's text and the items (ids) that cover it."""

    text: str
    items: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    start: int = 0
    starting: tuple[int, ...] = ()  # items that begin here (anchors for links)


@dataclass
class DocumentView:
    id: str
    title: str | None
    body: str | None
    meeting_date: str | None
    next_meeting_date: str | None
    place: str | None
    chair: str | None
    secretary: str | None
    country: str | None
    county: str | None
    region: str | None
    language: str | None
    topics: list[str]
    municipalities: list[str]
    participants: list[tuple[str, str | None]]
    sources: list[str]
    agenda_items: list[dict[str, Any]]
    items: list[ItemRow]
    text: str
    pipeline_version: str
    model_version: str


def find_document(session: Session, ref: str) -> str | None:
    """A document id from an id, a unique id prefix (≥ 6 characters) or a source path/URI."""
    ref = (ref or "").strip()
    if not ref:
        return None
    if session.get(Document, ref) is not None:
        return ref
    by_source = session.scalar(select(Source.document_id).where(Source.uri == ref))
    if by_source is None and Path(ref).exists():
        by_source = session.scalar(select(Source.document_id).where(Source.uri == str(Path(ref).resolve())))
    if by_source is not None:
        return by_source
    if len(ref) >= 6 and re.fullmatch(r"[0-9a-fA-F]+", ref):
        found = session.scalars(select(Document.id).where(Document.id.like(_like(ref.lower()) + "%", escape=_ESCAPE))
                                .limit(2)).all()
        if len(found) == 1:
            return found[0]
    return None


def get_document(session: Session, document_id: str) -> DocumentView | None:
    doc = session.get(Document, document_id)
    if doc is None:
        return None
    items = list_items(session, Filters(document=document_id), sort=None)
    items.sort(key=lambda r: r.position)
    agenda = [{"number": a.number, "title": a.title, "start": a.start, "end": a.end} for a in doc.agenda_items]
    return DocumentView(
        id=doc.id, title=doc.title, body=doc.body, meeting_date=doc.meeting_date,
        next_meeting_date=doc.next_meeting_date, place=doc.place, chair=doc.chair, secretary=doc.secretary,
        country=doc.country, county=doc.county.name if doc.county else None,
        region=doc.region.name if doc.region else None, language=doc.language, topics=list(doc.topics or []),
        municipalities=[m.name for m in doc.municipalities],
        participants=[(p.name, p.affiliation) for p in session.scalars(
            select(Participant).where(Participant.document_id == doc.id).order_by(Participant.position))],
        sources=list(session.scalars(select(Source.uri).where(Source.document_id == doc.id).order_by(Source.uri))),
        agenda_items=agenda, items=items, text=doc.text, pipeline_version=doc.pipeline_version,
        model_version=doc.model_version,
    )


def segments(text: str, items: Sequence[ItemRow]) -> list[Segment]:
    """The text cut at every item boundary, each piece with the items covering it (overlaps allowed)."""
    spans = [(i.start, i.end, i.id, i.type) for i in items if 0 <= i.start < i.end <= len(text)]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [(i, t) for s, e, i, t in spans if s <= a and b <= e]
        out.append(Segment(text=text[a:b], items=tuple(i for i, _ in covering),
                           types=tuple(sorted({t for _, t in covering})), start=a,
                           starting=tuple(i for s, _e, i, _t in spans if s == a)))
    return out


def agenda_of(view: DocumentView, start: int) -> dict[str, Any] | None:
    """The agenda item whose span holds offset `start`."""
    found = None
    for agenda in view.agenda_items:
        if agenda["start"] <= start < max(agenda["end"], agenda["start"] + 1):
            found = agenda
    return found
