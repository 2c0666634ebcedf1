"""`nightly_ingest`: discover new or changed files under the configured sources, extract, store.

The flow only orchestrates; every step is a function of `pipeline.store.ingestion`:

    migrate ─▶ begin run ─▶ plan (hash files, compare with stored hashes)
            ─▶ for each batch of new/changed/failed files: extract (cached on the files' hashes) ─▶ store each
            ─▶ end run (counts, errors reported)

Tasks that touch the database retry on transient errors (a locked or unreachable database);
a bad file is recorded in `ingestion_errors` and the run goes on. Extraction results are cached
by Prefect on (file hashes and types of the batch, pipeline version, model version), so a
retried or repeated run never parses the same batch twice with the same models.

Files are extracted in batches (MINUTES_BATCH_SIZE, default 16: spaCy's `nlp.pipe` over the
batch) and each document is stored in its own transaction. The work runs here, a batch after
the other, unless a Dask scheduler is named (`dask=` parameter, `--dask`, or MINUTES_DASK_ADDRESS, e.g.
`tcp://10.0.0.5:8786`): then it is submitted to that cluster through prefect-dask's
`DaskTaskRunner` (a sub-flow `nightly-ingest-dask`), each worker loads the models once and
writes into the shared database itself (PostgreSQL; see README "Speed and scale-out").

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
import hashlib  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
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
DASK_ENV = "MINUTES_DASK_ADDRESS"
DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Europe/Oslo"
DEPLOYMENT = "nightly"


def configured_sources(sources: list[str] | None = None) -> list[str]:
    """The given sources, else MINUTES_SOURCES (paths separated by the OS path separator)."""
    if sources:
        return [str(s) for s in sources]
    return [s for s in os.environ.get(SOURCES_ENV, "").split(os.pathsep) if s.strip()]


def dask_address(address: str | None = None) -> str | None:
    """The Dask scheduler to run the per-document work on: the given address, else
    MINUTES_DASK_ADDRESS; None (the default) means here, sequentially."""
    address = (address or os.environ.get(DASK_ENV) or "").strip()
    return address or None


def dask_task_runner(address: str):
    """prefect-dask's task runner connected to the running scheduler at `address`."""
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address)


class UnreadableFile(IngestError):
    """An IngestError that survives pickling (IngestError's own `(path, problem)` signature does
    not), so a bad file found on a Dask worker reaches the flow as what it is."""

    def __reduce__(self):
        return type(self), (self.path, self.problem)


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
    try:
        return ingestion.extract_one(uri).model_dump(mode="json")
    except IngestError as exc:
        if type(exc) is IngestError:
            raise UnreadableFile(exc.path, exc.problem) from exc
        raise


def batch_cache_key(_context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """A batch's extraction depends on its files' bytes and types, in order, and the versions."""
    files = "\n".join(f"{digest}{Path(uri).suffix.lower()}" for uri, digest in zip(parameters["uris"], parameters["file_hashes"]))
    return (f"extract-batch-{hashlib.sha256(files.encode()).hexdigest()}-{pipeline_version()}-{model_version()}-"
            f"{ingestion.extractor_name()}")


def _batch_run_name() -> str:
    from prefect.runtime import task_run

    uris = task_run.parameters.get("uris") or []
    return f"extract {len(uris)} files from {Path(uris[0]).name}" if uris else "extract"


@task(cache_key_fn=batch_cache_key, cache_expiration=timedelta(days=30), persist_result=True,
      result_serializer="json", retries=2, retry_delay_seconds=[1, 5], retry_condition_fn=_retry_if_transient,
      task_run_name=_batch_run_name)
def extract_batch(uris: list[str], file_hashes: list[str]) -> list[dict[str, Any]]:
    """A batch of files through the pipeline together (`ingestion.extract_many`: spaCy's
    `nlp.pipe`): for each file, {"extraction": …} or {"error": [stage, message]}."""
    out: list[dict[str, Any]] = []
    for result in ingestion.extract_many(uris):
        if isinstance(result, Exception):
            if is_transient(result):
                raise result  # the whole batch is retried
            out.append({"error": [ingestion.error_stage(result), ingestion.error_message(result)]})
        else:
            out.append({"extraction": result.model_dump(mode="json")})
    return out


@task(cache_policy=NO_CACHE, task_run_name="store a batch (run {run_id})")
def store_batch(db: str | None, candidates: list[ingestion.Candidate], outcomes: list[dict[str, Any]], run_id: int,
                force: bool = False) -> list[list[str] | None]:
    """Store a batch's extractions, one transaction a document (each retried on transient
    errors); for each file None, or [stage, message] of its problem."""
    engine = get_engine(db)
    problems: list[list[str] | None] = []
    for candidate, outcome in zip(candidates, outcomes):
        if "error" in outcome:
            problems.append(list(outcome["error"]))
            continue
        for delay in (1, 5, 15, None):
            try:
                ingestion.store_one(engine, candidate, Extraction.model_validate(outcome["extraction"]), run_id, force)
                problems.append(None)
                break
            except Exception as exc:  # noqa: BLE001 - recorded against the file
                if delay is not None and is_transient(exc):
                    time.sleep(delay)
                    continue
                problems.append(["store", ingestion.error_message(exc)])
                break
    return problems


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


def _chunks(candidates: list[ingestion.Candidate], size: int) -> list[list[ingestion.Candidate]]:
    return [candidates[k:k + size] for k in range(0, len(candidates), size)]


def _outcomes(state, count: int) -> list[dict[str, Any]]:
    """A finished extract_batch's outcomes; a batch that failed as a whole fails each file."""
    if state.is_completed():
        return state.result()
    exc = _failure(state)
    return [{"error": [ingestion.error_stage(exc), ingestion.error_message(exc)]}] * count


def _process(db: str | None, candidates: list[ingestion.Candidate], summary: ingestion.Summary,
             force: bool = False) -> None:
    """Here: batches of MINUTES_BATCH_SIZE files (default 16) through the pipeline together,
    then each document stored in its own transaction."""
    for batch in _chunks(candidates, ingestion.batch_size()):
        extracted = extract_batch([c.uri for c in batch], [c.file_hash for c in batch], return_state=True)
        for candidate, outcome in zip(batch, _outcomes(extracted, len(batch))):
            if "error" in outcome:
                error = (candidate.uri, *outcome["error"])
            else:
                stored = store_file(db, candidate, outcome["extraction"], summary.run_id, force, return_state=True)
                if stored.is_completed():
                    summary.stored += 1
                    continue
                error = (candidate.uri, "store", ingestion.error_message(_failure(stored)))
            record_error(db, *error, candidate.file_hash, summary.run_id)
            summary.errors.append(error)


@flow(name="nightly-ingest-dask", log_prints=True)
def process_on_dask(db: str | None, candidates: list[ingestion.Candidate], run_id: int, force: bool = False,
                    size: int = 16) -> dict[str, Any]:
    """The per-document work of a run, submitted to the Dask cluster of this flow's task runner:
    every batch's extraction is submitted at once, each extracted batch is stored by a worker
    (the extractions move worker to worker, not through here); failures are recorded from here."""
    batches = _chunks(candidates, size)
    extracting = [(batch, extract_batch.submit([c.uri for c in batch], [c.file_hash for c in batch])) for batch in batches]
    storing, errors = [], []
    for batch, future in extracting:
        future.wait()
        if future.state.is_completed():
            storing.append((batch, store_batch.submit(db, batch, future, run_id, force)))
        else:
            errors += [(c.uri, *outcome["error"]) for c, outcome in zip(batch, _outcomes(future.state, len(batch)))]
    stored = 0
    for batch, future in storing:
        future.wait()
        if future.state.is_completed():
            problems = future.state.result()
        else:
            problems = [["store", ingestion.error_message(_failure(future.state))]] * len(batch)
        for candidate, problem in zip(batch, problems):
            if problem is None:
                stored += 1
            else:
                errors.append((candidate.uri, *problem))
    hashes = {c.uri: c.file_hash for c in candidates}
    for uri, stage, message in errors:
        record_error(db, uri, stage, message, hashes[uri], run_id)
    return {"stored": stored, "errors": errors}


def dask_batch_size(address: str, files: int) -> int:
    """MINUTES_BATCH_SIZE, smaller when there are too few files to give every worker thread a few
    batches (so that all of them work)."""
    from distributed import Client

    with Client(address, timeout=60) as client:
        threads = max(1, sum(client.nthreads().values()))
    return max(1, min(ingestion.batch_size(), math.ceil(files / (3 * threads))))


def _process_anywhere(db: str | None, candidates: list[ingestion.Candidate], summary: ingestion.Summary,
                      dask: str | None, force: bool = False) -> None:
    """Here, a batch after the other; or on the Dask cluster at `dask` (or MINUTES_DASK_ADDRESS)."""
    address = dask_address(dask)
    if address is None or not candidates:
        _process(db, candidates, summary, force)
        return
    get_run_logger().info("extracting %d files on the Dask cluster at %s", len(candidates), address)
    on_dask = process_on_dask.with_options(task_runner=dask_task_runner(address))
    done = on_dask(absolute_url(db), candidates, summary.run_id, force, dask_batch_size(address, len(candidates)))
    summary.stored += done["stored"]
    summary.errors.extend(tuple(error) for error in done["errors"])


def _report(summary: ingestion.Summary) -> dict[str, Any]:
    logger = get_run_logger()
    logger.info("%d files seen, %d unchanged, %d documents stored, %d errors",
                summary.seen, summary.unchanged, summary.stored, len(summary.errors))
    for uri, stage, message in summary.errors:
        logger.warning("error (%s) %s: %s", stage, uri, message)
    return summary.as_dict()


@flow(name="nightly-ingest", log_prints=True)
def nightly_ingest(sources: list[str] | None = None, db: str | None = None, dask: str | None = None) -> dict[str, Any]:
    """Store every new or changed document under `sources` (default: MINUTES_SOURCES) in `db`
    (default: MINUTES_DATABASE_URL, else sqlite:///var/minutes.sqlite); the per-document work
    runs on the Dask scheduler `dask` (default: MINUTES_DASK_ADDRESS, else here, in turn)."""
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
    _process_anywhere(db, found.candidates, summary, dask)
    end_run(db, summary)
    return _report(summary)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[1, 5, 15], retry_condition_fn=_retry_if_transient)
def find_stale(db: str | None, everything: bool) -> tuple[list[ingestion.Candidate], list[tuple[str, str]]]:
    return ingestion.reprocess_plan(get_engine(db), everything)


@flow(name="reprocess", log_prints=True)
def reprocess(db: str | None = None, everything: bool = False, dask: str | None = None) -> dict[str, Any]:
    """Re-extract stored documents made by another pipeline or model version (or all of them)."""
    migrate_database(db)
    summary = ingestion.Summary(run_id=begin_run(db, "reprocess", []))
    candidates, missing = find_stale(db, everything)
    summary.seen = len(candidates) + len(missing)
    for uri, message in missing:
        record_error(db, uri, "reprocess", message, None, summary.run_id)
        summary.errors.append((uri, "reprocess", message))
    _process_anywhere(db, candidates, summary, dask, force=True)
    end_run(db, summary)
    return _report(summary)


def serve(sources: list[str], db: str | None = None, cron: str = DEFAULT_CRON,
          timezone: str = DEFAULT_TIMEZONE, name: str = DEPLOYMENT, dask: str | None = None) -> None:
    """Register the `nightly` deployment with its cron schedule on the Prefect server
    (PREFECT_API_URL) and run its flow runs here until stopped (their per-document work on the
    Dask scheduler `dask`, else MINUTES_DASK_ADDRESS at run time, else here)."""
    from prefect.schedules import Cron

    nightly_ingest.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"sources": [str(Path(s).expanduser().resolve()) for s in sources], "db": absolute_url(db), "dask": dask},
        description="Nightly ingestion of new and changed minutes into the database.",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m flows.nightly", description=serve.__doc__)
    parser.add_argument("sources", nargs="*", help=f"folders, files or globs (default: {SOURCES_ENV})")
    parser.add_argument("--db", default=None, help="database URL (default: MINUTES_DATABASE_URL or the SQLite file)")
    parser.add_argument("--cron", default=DEFAULT_CRON, help=f"cron schedule (default: {DEFAULT_CRON!r})")
    parser.add_argument("--timezone", default=DEFAULT_TIMEZONE, help=f"of the schedule (default: {DEFAULT_TIMEZONE})")
    parser.add_argument("--name", default=DEPLOYMENT, help=f"deployment name (default: {DEPLOYMENT})")
    parser.add_argument("--dask", default=None, metavar="ADDRESS",
                        help=f"Dask scheduler for the per-document work, e.g. tcp://host:8786 (default: {DASK_ENV}, "
                             "else sequential, here)")
    args = parser.parse_args(argv)
    sources = configured_sources(args.sources)
    if not sources:
        parser.error(f"no sources: pass them or set {SOURCES_ENV}")
    serve(sources, args.db, args.cron, args.timezone, args.name, args.dask)


if __name__ == "__main__":
    main()
