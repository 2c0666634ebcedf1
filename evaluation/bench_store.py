"""Storage benchmark: first ingest vs unchanged re-ingest, and rows/s into SQLite and PostgreSQL.

`storage(count)` returns Markdown lines for evaluation/reports/bench.md (called by
evaluation.bench); `python -m evaluation.bench_store [COUNT]` prints them alone.

- first ingest: `count` generated .txt minutes through plan → extract → store (the nightly
  flow's steps, without Prefect's orchestration overhead), into an empty database;
- unchanged re-ingest: the same folder again: every file is hashed and skipped;
- store rows/s: `count` prepared extractions (items, responsible actors, deadlines, agenda
  items, participants, municipalities) written one transaction a document.

PostgreSQL is measured when MINUTES_BENCH_POSTGRES_URL or MINUTES_TEST_POSTGRES_URL names a
server (`eval "$(bash scripts/postgres.sh)"` starts one); a scratch database is created there.
"""
from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from pipeline.store import ingestion, repository
from pipeline.store.db import make_engine, session_scope
from pipeline.store.migrate import upgrade
from pipeline.store.testing import simple_extract, temporary_database

WORDS = ("kommunen skolen elevene budsjett rektor oppfølging læringsmiljø plan kompetanse "
         "samarbeid vurdering digitalisering tilskudd nettverk").split()


def generate(folder: Path, count: int, seed: int = 11) -> list[Path]:
    """`count` distinct minutes-like .txt files with agenda items, decisions and actions."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        parts = [f"Referat fra Samarbeidsforum, møte {n}\n\nTil stede: Kari Nordmann, Ola Hansen\n"]
        for k in range(1, 5):
            sentence = " ".join(rng.choice(WORDS) for _ in range(40)).capitalize()
            parts.append(f"Sak {k}/{2000 + n % 25} {rng.choice(WORDS).capitalize()}\n\n{sentence}.\n\n"
                         f"Vedtak: Saken {n}-{k} ble godkjent.\n\nProsjektgruppa skal følge opp sak {k} innen 1. mars.\n")
        path = folder / f"referat{n:05d}.txt"
        path.write_text("\n".join(parts), encoding="utf-8")
        paths.append(path)
    return paths


def _backends() -> list[str]:
    return ["sqlite"] + (["postgresql"] if os.environ.get("MINUTES_BENCH_POSTGRES_URL")
                         or os.environ.get("MINUTES_TEST_POSTGRES_URL") else [])


def _measure(backend: str, folder: Path, paths: list[Path], scratch: Path) -> list[str]:
    with temporary_database(backend, scratch / f"{backend}-ingest") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            start = time.perf_counter()
            first = ingestion.ingest(engine, [folder])
            first_s = time.perf_counter() - start
            start = time.perf_counter()
            again = ingestion.ingest(engine, [folder])
            again_s = time.perf_counter() - start
        finally:
            engine.dispose()
    assert again.stored == 0 and again.unchanged == first.stored, (first, again)
    extractions = [(ingestion.Candidate(ingestion.source_uri(p), f"{n:064x}", p.stat().st_size), simple_extract(p))
                   for n, p in enumerate(paths)]
    with temporary_database(backend, scratch / f"{backend}-rows") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            start = time.perf_counter()
            for candidate, extraction in extractions:
                ingestion.store_one(engine, candidate, extraction)
            store_s = time.perf_counter() - start
            with session_scope(engine) as session:
                rows = sum(n for table, n in repository.counts(session).items() if table not in ("runs",))
        finally:
            engine.dispose()
    count = len(paths)
    return [f"| {backend} | {first_s:.1f} ({count / first_s:.0f} docs/s) | {again_s:.2f} ({count / again_s:.0f} files/s) "
            f"| {first_s / again_s:.0f}× | {rows / store_s:,.0f} ({rows:,} rows, {count / store_s:.0f} docs/s) |"]


def storage(count: int = 1000, extractor: str | None = None) -> list[str]:
    """Markdown lines: first vs unchanged re-ingest of `count` generated documents, and rows/s,
    for SQLite and (when a server is configured) PostgreSQL.

    `extractor` (`module:function`, default MINUTES_EXTRACTOR, else the full pipeline) makes the
    first ingest's extraction; `pipeline.store.testing:simple_extract` measures storage alone.
    """
    previous = os.environ.get(ingestion.EXTRACTOR_ENV)
    if extractor:
        os.environ[ingestion.EXTRACTOR_ENV] = extractor
    try:
        return _storage(count)
    finally:
        if previous is None:
            os.environ.pop(ingestion.EXTRACTOR_ENV, None)
        else:
            os.environ[ingestion.EXTRACTOR_ENV] = previous


def _storage(count: int) -> list[str]:
    lines = [f"## Storage ({count} generated documents, extractor `{ingestion.extractor_name()}`)", "",
             "| database | first ingest, s | unchanged re-ingest, s | ratio | store rows/s |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        paths = generate(scratch / "docs", count)
        ingestion.extract_one(str(generate(scratch / "warm-up", 1)[0]))  # load the models before timing
        for backend in _backends():
            (scratch / f"{backend}-ingest").mkdir()
            (scratch / f"{backend}-rows").mkdir()
            lines += _measure(backend, scratch / "docs", paths, scratch)
    if "postgresql" not in _backends():
        lines.append("| postgresql | not measured: set MINUTES_BENCH_POSTGRES_URL (or run scripts/postgres.sh) | | | |")
    lines += ["", "An unchanged file is hashed and looked up, never parsed: the ratio is what a quiet night saves. "
              "Rows are every row written (documents, sources, agenda items, items, responsible actors, deadlines, "
              "participants, municipalities), one transaction a document.", ""]
    return lines


if __name__ == "__main__":
    print("\n".join(storage(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, sys.argv[2] if len(sys.argv) > 2 else None)))
