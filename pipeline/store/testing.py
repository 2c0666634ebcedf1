"""Test helpers: one throw-away database per test, on SQLite or on the PostgreSQL test server.

The PostgreSQL server is the one `scripts/postgres.sh` starts; its URL comes from
MINUTES_TEST_POSTGRES_URL (.ci/run always sets it). Without it, PostgreSQL cases are skipped.
"""
from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pipeline.contract import (
    AgendaItemOut,
    Deadline,
    DocumentInfo,
    Extraction,
    Item,
    Participant,
    Responsible,
)
from pipeline.ingest import read_document
from pipeline.normalise import document_id, normalise
from pipeline.structure import agenda_items

from .db import _engines, _lock, database_url

POSTGRES_ENV = "MINUTES_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
SKIP_REASON = f"{POSTGRES_ENV} is not set: start a server with `eval \"$(bash scripts/postgres.sh)\"` (.ci/run does)"


def postgres_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    return database_url(url) if url else None


def backend_params():
    """pytest parameters for both backends; PostgreSQL skipped (with the reason) when absent."""
    import pytest

    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=[
            pytest.mark.postgres, pytest.mark.skipif(postgres_url() is None, reason=SKIP_REASON)]),
    ]


def forget_engine(url: str) -> None:
    with _lock:
        engine = _engines.pop(database_url(url), None)
    if engine is not None:
        engine.dispose()


@contextmanager
def temporary_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database, removed afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'minutes.sqlite'}"
        try:
            yield url
        finally:
            forget_engine(url)
        return
    base = postgres_url()
    if base is None:
        raise RuntimeError(SKIP_REASON)
    name = f"minutes_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        try:
            yield url
        finally:
            forget_engine(url)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


_DECISION = re.compile(r"Vedtak: (?P<text>[^\n]+)")
_ACTION = re.compile(r"(?P<text>(?P<who>[A-ZÆØÅ]\w+) skal [^\n]*?)\.?$", re.M)


def simple_extract(path: Path | str) -> Extraction:
    """A small, model-free extractor for tests of storage and flows (MINUTES_EXTRACTOR=
    pipeline.store.testing:simple_extract): the real reading, normalisation and agenda items;
    "Vedtak: …" lines as decisions and "X skal …" clauses as actions of X."""
    raw = read_document(path)
    text = normalise(raw.text)
    items = [Item(type="decision", text=m["text"], start=m.start("text"), end=m.end("text"), confidence=0.9)
             for m in _DECISION.finditer(text)]
    items += [Item(type="action", text=m["text"], start=m.start("text"), end=m.end("text"), confidence=0.8,
                   responsible=[Responsible(name=m["who"], kind="body")], topics=["competence_development"],
                   deadline=Deadline(text="innen 1. mars", date=None) if "innen 1. mars" in m["text"] else None)
              for m in _ACTION.finditer(text)]
    items.sort(key=lambda item: (item.start, item.type))
    agenda = [AgendaItemOut(number=a.number, title=a.title, start=a.start, end=a.end) for a in agenda_items(text)]
    document = DocumentInfo(id=document_id(text), source=raw.source, language="nb", country="NO",
                            municipalities=["Midtre Gauldal"], participants=[Participant(name="Kari")])
    return Extraction(document=document, agenda_items=agenda, items=items, text=text)
