"""Storage: SQLAlchemy models, repository functions and Alembic migrations (SQLite or PostgreSQL)."""
from .db import DEFAULT_URL, URL_ENV, database_url, get_engine, make_engine, session_scope

__all__ = ["DEFAULT_URL", "URL_ENV", "database_url", "get_engine", "make_engine", "session_scope"]
