"""Ingestion into the database, one step a function: the flows in flows/ only call these.

    plan()        discover files under the targets, hash their bytes, and keep those whose hash
                  differs from the stored one (or that failed last time): an unchanged file
                  costs a hash and a lookup, never a parse
    extract_one() run the pipeline on one file (raises IngestError for bad files)
    extract_many() the same for a batch of files, through spaCy with `nlp.pipe` (one result or
                  exception a file)
    store_one()   write its extraction in one transaction
    fail_one()    record a file's problem in ingestion_errors

`ingest()` chains them without Prefect (benchmarks, concurrency tests); `flows.nightly_ingest`
chains the same steps as Prefect tasks.
"""
from __future__ import annotations

import hashlib
import importlib
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from pipeline.contract import Extraction
from pipeline.ingest import IngestError, discover
from pipeline.ingest.sniff import sniff

from . import repository
from .db import session_scope
from .versions import model_version, pipeline_version

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Candidate:
    """A file to (re)process: it is new, changed, or failed last time."""

    uri: str
    file_hash: str
    size: int


@dataclass
class Plan:
    candidates: list[Candidate] = field(default_factory=list)
    seen: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (uri, message) of unreadable files


@dataclass
class Summary:
    """What a run did; `errors` are (file, stage, message)."""

    run_id: int | None = None
    seen: int = 0
    unchanged: int = 0
    stored: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def source_uri(path: Path | str) -> str:
    """The stable key of a file: its absolute path."""
    return Path(path).expanduser().resolve().as_posix()


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan(engine: Engine, targets: Iterable[str | Path]) -> Plan:
    """New, changed and previously failed files under the targets (files, folders, globs)."""
    result = Plan()
    files: list[tuple[str, str, int]] = []
    for path in discover(targets):
        result.seen += 1
        uri = source_uri(path)
        try:
            files.append((uri, file_sha256(path), path.stat().st_size))
        except OSError as exc:
            result.failures.append((uri, f"cannot be read ({exc.strerror or exc})"))
    with session_scope(engine) as session:
        stored = repository.stored_hashes(session, [uri for uri, _, _ in files])
    for uri, digest, size in files:
        if stored.get(uri) == digest:
            result.unchanged += 1
        else:
            result.candidates.append(Candidate(uri, digest, size))
    return result


EXTRACTOR_ENV = "MINUTES_EXTRACTOR"
DEFAULT_EXTRACTOR = "pipeline.extract:extract"


def extractor_name() -> str:
    """The extraction function, as `module:function` (MINUTES_EXTRACTOR; default the pipeline's)."""
    return os.environ.get(EXTRACTOR_ENV) or DEFAULT_EXTRACTOR


def extract_one(uri: str) -> Extraction:
    """The pipeline on one file (pipeline.extract); IngestError for a file that is not a document."""
    module, _, function = extractor_name().partition(":")
    return getattr(importlib.import_module(module), function)(uri)  # heavy imports only when needed


BATCH_ENV = "MINUTES_BATCH_SIZE"
DEFAULT_BATCH_SIZE = 16


def batch_size() -> int:
    """Documents a batch through spaCy's `nlp.pipe` (MINUTES_BATCH_SIZE, default 16; 1 = one at a time)."""
    try:
        return max(1, int(os.environ.get(BATCH_ENV) or DEFAULT_BATCH_SIZE))
    except ValueError:
        return DEFAULT_BATCH_SIZE


def _attempt(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the caller records it against its file
        return exc


def extract_many(uris: Sequence[str], size: int | None = None) -> list[Extraction | Exception]:
    """`extract_one` for each file, in order: the Extraction, or the exception that file raised.

    With the default extractor the files are read, normalised and identified one by one, then
    each language's texts go through the pipeline together (`pipeline.extract.analyse_many`,
    i.e. `nlp.pipe` in batches of `size`). Should a batch fail as a whole, its files are redone
    one at a time, so one bad document never costs the others. Another MINUTES_EXTRACTOR is
    called once a file.
    """
    size = size or batch_size()
    if extractor_name() != DEFAULT_EXTRACTOR or size == 1 or len(uris) < 2:
        return [_attempt(extract_one, uri) for uri in uris]
    from pipeline import extract as pipeline_extract

    if hasattr(pipeline_extract, "extract_many"):  # the pipeline's own batched extraction, when it has one
        return list(pipeline_extract.extract_many(list(uris), batch_size=size))
    from pipeline.contract import from_doc
    from pipeline.ingest import read_document
    from pipeline.language import identify
    from pipeline.normalise import normalise

    results: list[Extraction | Exception | None] = [None] * len(uris)
    by_language: dict[str, list[tuple[int, str, str]]] = {}
    for n, uri in enumerate(uris):
        try:
            raw = read_document(uri)
            text = normalise(raw.text)
            by_language.setdefault(identify(text).code, []).append((n, text, raw.source))
        except Exception as exc:  # noqa: BLE001
            results[n] = exc
    for language, group in by_language.items():
        try:
            docs = pipeline_extract.analyse_many([t for _, t, _ in group], language, [s for _, _, s in group], size)
            versions = pipeline_extract.pipeline_versions(language)
            for (n, _, source), doc in zip(group, docs):
                results[n] = _attempt(from_doc, doc, source, versions)
        except Exception:  # noqa: BLE001 - redo this language's files one by one
            log.warning("a batch of %d %s documents failed; extracting them one at a time", len(group), language)
            for n, _, _ in group:
                results[n] = _attempt(extract_one, uris[n])
    return results  # type: ignore[return-value]


def file_format(uri: str) -> str | None:
    try:
        with open(uri, "rb") as handle:
            return sniff(Path(uri), handle.read(8192))
    except Exception:  # the format is provenance only; extraction has already read the file
        return None


def store_one(engine: Engine, candidate: Candidate, extraction: Extraction, run_id: int | None = None,
              force: bool = False) -> repository.Stored:
    """Store one extraction in one transaction (and clear the file's previous error)."""
    with session_scope(engine) as session:
        return repository.store_extraction(
            session, extraction, uri=candidate.uri, file_hash=candidate.file_hash, fmt=file_format(candidate.uri),
            size=candidate.size, run_id=run_id, pipeline_version=pipeline_version(),
            model_version=model_version(), force=force,
        )


def fail_one(engine: Engine, uri: str, stage: str, message: str, file_hash: str | None = None,
             run_id: int | None = None) -> None:
    with session_scope(engine) as session:
        repository.record_error(session, uri, stage, message, file_hash=file_hash, run_id=run_id)


def error_message(exc: BaseException) -> str:
    if isinstance(exc, IngestError):
        return str(exc.problem)
    return f"{type(exc).__name__}: {exc}"


def error_stage(exc: BaseException) -> str:
    return "read" if isinstance(exc, IngestError) else "extract"


def begin_run(engine: Engine, kind: str, targets: Sequence[str], flow_run_id: str | None = None) -> int:
    with session_scope(engine) as session:
        return repository.start_run(session, kind=kind, targets=[str(t) for t in targets],
                                    pipeline_version=pipeline_version(), model_version=model_version(),
                                    flow_run_id=flow_run_id)


def end_run(engine: Engine, summary: Summary, status: str = "completed") -> None:
    if summary.run_id is None:
        return
    with session_scope(engine) as session:
        repository.finish_run(session, summary.run_id, status=status, files_seen=summary.seen,
                              files_unchanged=summary.unchanged, documents_stored=summary.stored,
                              errors=len(summary.errors))


def reprocess_plan(engine: Engine, everything: bool = False) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """Sources of documents made by another pipeline/model version (or all): what `reprocess` redoes.

    Each document is redone from its first source that still exists; documents none of whose
    files exist any more are returned as failures (they keep their stored results).
    """
    with session_scope(engine) as session:
        stale = repository.stale_documents(session, pipeline_version(), model_version(), everything)
    candidates, missing = [], []
    for doc_id, uris in stale:
        for uri in uris:
            path = Path(uri)
            if path.is_file():
                candidates.append(Candidate(uri, file_sha256(path), path.stat().st_size))
                break
        else:
            missing.append((uris[0], f"document {doc_id[:12]}: none of its files exist any more"))
    return candidates, missing


def _batches(candidates: Iterable[Candidate], size: int) -> Iterable[list[Candidate]]:
    batch: list[Candidate] = []
    for candidate in candidates:
        batch.append(candidate)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def process(engine: Engine, candidates: Iterable[Candidate], summary: Summary, force: bool = False,
            size: int | None = None) -> None:
    """Extract (in batches of `size`, see extract_many) and store each candidate, one
    transaction a document; a bad file is recorded and the others go on."""
    size = size or batch_size()
    for batch in _batches(candidates, size):
        for candidate, extracted in zip(batch, extract_many([c.uri for c in batch], size)):
            _store_or_record(engine, candidate, extracted, summary, force)


def _store_or_record(engine: Engine, candidate: Candidate, extraction: Extraction | Exception, summary: Summary,
                     force: bool) -> None:
    if isinstance(extraction, Exception):  # every failure is recorded, the run goes on
        exc = extraction
        stage, message = error_stage(exc), error_message(exc)
        fail_one(engine, candidate.uri, stage, message, candidate.file_hash, summary.run_id)
        summary.errors.append((candidate.uri, stage, message))
        return
    try:
        store_one(engine, candidate, extraction, summary.run_id, force=force)
    except Exception as exc:  # noqa: BLE001
        message = error_message(exc)
        fail_one(engine, candidate.uri, "store", message, candidate.file_hash, summary.run_id)
        summary.errors.append((candidate.uri, "store", message))
        return
    summary.stored += 1


def ingest(engine: Engine, targets: Sequence[str | Path]) -> Summary:
    """The nightly ingestion without Prefect: plan, then extract and store each candidate."""
    summary = Summary(run_id=begin_run(engine, "ingest", [str(t) for t in targets]))
    found = plan(engine, targets)
    summary.seen, summary.unchanged = found.seen, found.unchanged
    for uri, message in found.failures:
        fail_one(engine, uri, "discover", message, None, summary.run_id)
        summary.errors.append((uri, "discover", message))
    process(engine, found.candidates, summary)
    end_run(engine, summary)
    return summary
