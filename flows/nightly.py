"""`nightly_ingest`: discover new or changed files under the configured sources, extract, store.

The flow only orchestrates; every step is a function of `pipeline.store.ingestion`:

    migrate ─▶ begin run ─▶ plan (hash files, compare with stored hashes)
            ─▶ for each new/changed/failed file: extract (cached on content hash) ─▶ store
            ─▶ end run (counts, errors reported)

Tasks that touch the database retry on transient errors (a locked or unreachable database);
a bad file is recorded in `ingestion_errors` and the run goes on. Extraction results are cached
by Prefect on (file hash, file type, pipeline version, model version), so a retried or
repeated run never parses the same bytes twice with the same models.

Run once, locally, without setting up a server:  `minutes ingest PATH…`
Leave it running on a schedule (needs a Prefect server, see README):
    prefect server start
    minutes schedule PATH… [--cron "0 2 * * *"]      # or: python -m flows.nightly PATH…
"""
from __future__ import annotations

import os

# Offline and patient by default: no telemetry, and time for the ephemeral server to start on a
# busy machine. Set before Prefect reads its settings; explicit settings win.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

import argparse  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.context import TaskRunContext  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402

from pipeline.contract import Extraction  # noqa: E402
from pipeline.ingest import IngestError  # noqa: E402
from pipeline.store import ingestion  # noqa: E402
from pipeline.store.db import absolute_url, get_engine  # noqa: E402
from pipeline.store.migrate import upgrade  # noqa: E402
from pipeline.store.versions import model_version, pipeline_version  # noqa: E402

SOURCES_ENV = "MINUTES_SOURCES"
DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Europe/Oslo"
DEPLOYMENT = "nightly"


def configured_sources(sources: list[str] | None = None) -> list[str]:
    """The given sources, else MINUTES_SOURCES (paths separated by the OS path separator)."""
    if sources:
        return [str(s) for s in sources]
    return [s for s in os.environ.get(SOURCES_ENV, "").split(os.pathsep) if s.strip()]


def is_transient(exc: BaseException | None) -> bool:
    """Worth a retry: the database was locked or unreachable, a file system hiccup; not a bad file."""
    if exc is None or isinstance(exc, IngestError):
        return False
    from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError as PoolTimeout

    if isinstance(exc, (OperationalError, PoolTimeout)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (TimeoutError, ConnectionError, InterruptedError, BlockingIOError))


def _retry_if_transient(_task, _task_run, state) -> bool:
    try:
        exc = state.result(raise_on_failure=False)
    except BaseException as raised:  # noqa: BLE001 - the failure itself
        exc = raised
    return is_transient(exc if isinstance(exc, BaseException) else None)


def content_cache_key(_context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Extraction depends only on the bytes, the file type, the versions of pipeline and models
    and the extraction function."""
    suffix = Path(parameters["uri"]).suffix.lower()
    return (f"extract-{parameters['file_hash']}{suffix}-{pipeline_version()}-{model_version()}-"
            f"{ingestion.extractor_name()}")


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def migrate_database(db: str | None) -> None:
    upgrade(get_engine(db))


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def begin_run(db: str | None, kind: str, sources: list[str]) -> int:
    run_id = flow_run.get_id()
    return ingestion.begin_run(get_engine(db), kind, sources, str(run_id) if run_id else None)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def discover_changes(db: str | None, sources: list[str]) -> ingestion.Plan:
    return ingestion.plan(get_engine(db), sources)


@task(cache_key_fn=content_cache_key, cache_expiration=timedelta(days=30), persist_result=True,
      result_serializer="json", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_retry_if_transient,
      task_run_name="extract {uri}")
def extract_file(uri: str, file_hash: str) -> dict[str, Any]:
    return ingestion.extract_one(uri).model_dump(mode="json")


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient,
      task_run_name="store {candidate.uri}")
def store_file(db: str | None, candidate: ingestion.Candidate, extraction: dict[str, Any], run_id: int,
               force: bool = False) -> str:
    stored = ingestion.store_one(get_engine(db), candidate, Extraction.model_validate(extraction), run_id, force)
    return stored.document_id


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def record_error(db: str | None, uri: str, stage: str, message: str, file_hash: str | None, run_id: int) -> None:
    ingestion.fail_one(get_engine(db), uri, stage, message, file_hash, run_id)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def end_run(db: str | None, summary: ingestion.Summary) -> None:
    ingestion.end_run(get_engine(db), summary)


def _failure(state) -> BaseException:
    exc = state.result(raise_on_failure=False)
    return exc if isinstance(exc, BaseException) else RuntimeError(str(state.message))


def _process(db: str | None, candidates: list[ingestion.Candidate], summary: ingestion.Summary,
             force: bool = False) -> None:
    for candidate in candidates:
        extracted = extract_file(candidate.uri, candidate.file_hash, return_state=True)
        if not extracted.is_completed():
            exc = _failure(extracted)
            error = (candidate.uri, ingestion.error_stage(exc), ingestion.error_message(exc))
        else:
            stored = store_file(db, candidate, extracted.result(), summary.run_id, force, return_state=True)
            if stored.is_completed():
                summary.stored += 1
                continue
            error = (candidate.uri, "store", ingestion.error_message(_failure(stored)))
        record_error(db, *error, candidate.file_hash, summary.run_id)
        summary.errors.append(error)


def _report(summary: ingestion.Summary) -> dict[str, Any]:
    logger = get_run_logger()
    logger.info("%d files seen, %d unchanged, %d documents stored, %d errors",
                summary.seen, summary.unchanged, summary.stored, len(summary.errors))
    for uri, stage, message in summary.errors:
        logger.warning("error (%s) %s: %s", stage, uri, message)
    return summary.as_dict()


@flow(name="nightly-ingest", log_prints=True)
def nightly_ingest(sources: list[str] | None = None, db: str | None = None) -> dict[str, Any]:
    """Store every new or changed document under `sources` (default: MINUTES_SOURCES) in `db`
    (default: MINUTES_DATABASE_URL, else sqlite:///var/minutes.sqlite)."""
    sources = configured_sources(sources)
    if not sources:
        raise ValueError(f"no sources to ingest: pass them, or set {SOURCES_ENV}")
    migrate_database(db)
    summary = ingestion.Summary(run_id=begin_run(db, "ingest", sources))
    found = discover_changes(db, sources)
    summary.seen, summary.unchanged = found.seen, found.unchanged
    for uri, message in found.failures:
        record_error(db, uri, "discover", message, None, summary.run_id)
        summary.errors.append((uri, "discover", message))
    _process(db, found.candidates, summary)
    end_run(db, summary)
    return _report(summary)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def find_stale(db: str | None, everything: bool) -> tuple[list[ingestion.Candidate], list[tuple[str, str]]]:
    return ingestion.reprocess_plan(get_engine(db), everything)


@flow(name="reprocess", log_prints=True)
def reprocess(db: str | None = None, everything: bool = False) -> dict[str, Any]:
    """Re-extract stored documents made by another pipeline or model version (or all of them)."""
    migrate_database(db)
    summary = ingestion.Summary(run_id=begin_run(db, "reprocess", []))
    candidates, missing = find_stale(db, everything)
    summary.seen = len(candidates) + len(missing)
    for uri, message in missing:
        record_error(db, uri, "reprocess", message, None, summary.run_id)
        summary.errors.append((uri, "reprocess", message))
    _process(db, candidates, summary, force=True)
    end_run(db, summary)
    return _report(summary)


def serve(sources: list[str], db: str | None = None, cron: str = DEFAULT_CRON,
          timezone: str = DEFAULT_TIMEZONE, name: str = DEPLOYMENT) -> None:
    """Register the `nightly` deployment with its cron schedule on the Prefect server
    (PREFECT_API_URL) and run its flow runs here until stopped."""
    from prefect.schedules import Cron

    nightly_ingest.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"sources": [str(Path(s).expanduser().resolve()) for s in sources], "db": absolute_url(db)},
        description="Nightly ingestion of new and changed minutes into the database.",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m flows.nightly", description=serve.__doc__)
    parser.add_argument("sources", nargs="*", help=f"folders, files or globs (default: {SOURCES_ENV})")
    parser.add_argument("--db", default=None, help="database URL (default: MINUTES_DATABASE_URL or the SQLite file)")
    parser.add_argument("--cron", default=DEFAULT_CRON, help=f"cron schedule (default: {DEFAULT_CRON!r})")
    parser.add_argument("--timezone", default=DEFAULT_TIMEZONE, help=f"of the schedule (default: {DEFAULT_TIMEZONE})")
    parser.add_argument("--name", default=DEPLOYMENT, help=f"deployment name (default: {DEPLOYMENT})")
    args = parser.parse_args(argv)
    sources = configured_sources(args.sources)
    if not sources:
        parser.error(f"no sources: pass them or set {SOURCES_ENV}")
    serve(sources, args.db, args.cron, args.timezone, args.name)


if __name__ == "__main__":
    main()
