"""Benchmarks (`make bench`): throughput and memory, written to evaluation/reports/bench.md.

Ingestion + normalisation: a generated corpus of documents in every format, read and
normalised; documents/s and MB/s per format, and the peak resident memory of the process.
Storage (evaluation.bench_store): first ingest and unchanged re-ingest of generated documents,
rows/s into SQLite and (when a server is configured) PostgreSQL.
Web (evaluation.bench_web): p50/p95 latency of the action list and comparison pages on a store
of 10,000 documents. Whole pipeline (evaluation.bench_pipeline): end to end on 1 and 2
processes, per stage and component, growth 100 → 1,000 → 10,000, against the keyword baseline
and bare spaCy.
"""
from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from evaluation.render import FORMATS, render
from pipeline.ingest import read_document
from pipeline.normalise import normalise

REPORT = Path(__file__).resolve().parent / "reports" / "bench.md"
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "docs"
ALL_FORMATS = ("txt",) + FORMATS


def source_texts() -> list[str]:
    """The labelled corpus's texts, or generated minutes-like text when there is none."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if texts:
        return texts
    rng = random.Random(7)
    words = "kommunen skolen elevene vedtak budsjett rektor oppfølging læringsmiljø frist møtet plan".split()
    return [
        "\n\n".join(" ".join(rng.choice(words) for _ in range(60)).capitalize() + "." for _ in range(12))
        for _ in range(50)
    ]


def generate(folder: Path, count: int) -> dict[str, list[Path]]:
    """`count` documents in each format, cycling through the source texts."""
    texts = source_texts()
    files: dict[str, list[Path]] = {fmt: [] for fmt in ALL_FORMATS}
    for n in range(count):
        text = texts[n % len(texts)]
        for fmt in ALL_FORMATS:
            path = folder / f"doc{n:05d}.{fmt}"
            if fmt == "txt":
                path.write_text(text, encoding="utf-8")
            else:
                render(text, fmt, path)
            files[fmt].append(path)
    return files


def ingestion(count: int) -> list[str]:
    lines = [f"## Ingestion and normalisation ({count} documents per format)", "",
             "| format | documents/s | MB/s | MB read |", "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(Path(tmp), count)
        for fmt, paths in files.items():
            size = sum(p.stat().st_size for p in paths)
            start = time.perf_counter()
            for path in paths:
                normalise(read_document(path).text)
            seconds = time.perf_counter() - start
            lines.append(f"| {fmt} | {len(paths) / seconds:.1f} | {size / 2**20 / seconds:.2f} | {size / 2**20:.1f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines += ["", f"Peak resident memory of the benchmark process: {peak:.0f} MB.", ""]
    return lines


def main(argv: list[str]) -> None:
    from evaluation.bench_pipeline import pipeline_bench
    from evaluation.bench_store import storage
    from evaluation.bench_web import web_latency

    count = int(argv[0]) if argv else 500
    lines = ["# Benchmarks", "", f"Machine: {sys.platform}, Python {sys.version.split()[0]}.", ""]
    lines += ingestion(count)
    lines += storage(2 * count)
    lines += web_latency(20 * count)
    lines += pipeline_bench()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
