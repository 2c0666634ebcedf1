"""Engine, session and URL handling: SQLite (file, WAL) by default, PostgreSQL by URL.

The URL comes from the `--db` option, else `MINUTES_DATABASE_URL`, else
`sqlite:///var/minutes.sqlite` (a project-local file, relative to the working directory).
`postgresql://…` URLs are served by psycopg 3.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///var/minutes.sqlite"
URL_ENV = "MINUTES_DATABASE_URL"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def database_url(url: str | None = None) -> str:
    """The URL to use: the explicit one, else MINUTES_DATABASE_URL, else the project default."""
    url = url or os.environ.get(URL_ENV) or DEFAULT_URL
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def absolute_url(url: str | None = None) -> str:
    """The URL with a relative SQLite path made absolute (for processes started elsewhere)."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:" \
            and not parsed.database.startswith("file:") and not Path(parsed.database).is_absolute():
        return parsed.set(database=str(Path(parsed.database).expanduser().resolve())).render_as_string(hide_password=False)
    return url


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(database_url(engine_or_url))
    return url.get_backend_name() == "sqlite"


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(database_url(url)).render_as_string(hide_password=True)


def make_engine(url: str | None = None) -> Engine:
    """A new engine. SQLite files get WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE."""
    url = database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - exercised via engine
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions start (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:  # pragma: no cover - exercised via engine
        # Take the write lock up front: two writers then queue (busy_timeout) instead of one
        # failing when it upgrades a read transaction to a write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def get_engine(url: str | None = None) -> Engine:
    """A process-wide engine for a URL (created once)."""
    url = database_url(url)
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
        return _engines[url]


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session:
        with session.begin():
            yield session
