"""Alembic migrations, run programmatically: `upgrade(url)` brings a database to the newest schema."""
from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from .db import get_engine

SCRIPT_LOCATION = str(files("pipeline.store") / "migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def _run(engine: Engine, action, revision: str) -> None:
    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        action(config, revision)
        connection.commit()


def upgrade(engine: Engine | str | None = None, revision: str = "head") -> None:
    """Migrate the database up to `revision` (default: the newest)."""
    engine = engine if isinstance(engine, Engine) else get_engine(engine)
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine | str | None = None, revision: str = "-1") -> None:
    """Migrate the database down (default: one step)."""
    engine = engine if isinstance(engine, Engine) else get_engine(engine)
    _run(engine, command.downgrade, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return ScriptDirectory.from_config(config).get_current_head()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
