"""Web latency benchmark: p50/p95 of the analysts' pages on a store of `count` documents.

`web_latency(count)` returns Markdown lines for evaluation/reports/bench.md (for evaluation.bench);
`python -m evaluation.bench_web [COUNT] [REQUESTS]` prints them alone.

The store is filled directly with bulk INSERTs (no NLP, no per-document transactions): `count`
documents with 3 agenda items, 3 decisions and 3 actions each (responsible actor, deadline: day,
month-only or undated), 1–3 municipalities, topics, across 12 regions, 8 counties and 2 countries.
The app (`pipeline.web.app`, read-only engine) is served by uvicorn on 127.0.0.1 and a free port
in this process, and each page is requested a bounded number of times over one keep-alive
connection, after two warm-up requests.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import insert

from pipeline.query import TOPICS
from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from pipeline.store.models import (
    AgendaItem,
    County,
    Deadline,
    Document,
    DocumentMunicipality,
    Item,
    Municipality,
    Region,
    ResponsibleActor,
    Source,
    utcnow,
)

REGIONS = [("Gauldalsregionen", "NO", 0), ("Trondheimsregionen", "NO", 0), ("Vestlandet", "NO", 1),
           ("Hallingdal", "NO", 2), ("Salten", "NO", 3), ("Indre Østfold", "NO", 2), ("Skaraborg", "SE", 4),
           ("Sjuhärad", "SE", 4), ("Fyrbodal", "SE", 4), ("Norrbotten", "SE", 5), ("Södertörn", "SE", 6),
           ("Skåne Nordost", "SE", 7)]
COUNTIES = [("Trøndelag", "NO"), ("Vestland", "NO"), ("Viken", "NO"), ("Nordland", "NO"),
            ("Västra Götalands län", "SE"), ("Norrbottens län", "SE"), ("Stockholms län", "SE"), ("Skåne län", "SE")]
ACTORS = ["Rektorene", "Statsforvalteren", "Prosjektgruppa", "Kommunalsjefen", "Skolcheferna", "KS", "Anna", "PPT"]
WORDS = ("kommunen skolen elevene budsjett rektor oppfølging læringsmiljø plan kompetanse samarbeid vurdering "
         "digitalisering tilskudd nettverk").split()


def fill(url: str, count: int, seed: int = 5) -> dict[str, int]:
    """Create the schema at `url` and bulk-insert `count` generated documents; rows per table."""
    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    topics = list(TOPICS)
    now = utcnow()
    rows: dict[str, list[dict]] = {name: [] for name in (
        "regions", "counties", "municipalities", "documents", "sources", "document_municipalities", "agenda_items",
        "items", "responsible_actors", "deadlines")}
    rows["counties"] = [{"id": n + 1, "name": name, "country": country} for n, (name, country) in enumerate(COUNTIES)]
    rows["regions"] = [{"id": n + 1, "name": name, "country": country} for n, (name, country, _c) in enumerate(REGIONS)]
    municipalities = []
    for n in range(60):
        region = n % len(REGIONS)
        municipalities.append((n + 1, region))
        rows["municipalities"].append({"id": n + 1, "name": f"Kommune {n + 1:02d}", "country": REGIONS[region][1],
                                       "county_id": REGIONS[region][2] + 1})
    item_id = agenda_id = 0
    for n in range(count):
        region = rng.randrange(len(REGIONS))
        name, country, county = REGIONS[region]
        year, month, day = rng.randint(2019, 2024), rng.randint(1, 12), rng.randint(1, 28)
        meeting = f"{year}-{month:02d}-{day:02d}"
        doc_topics = rng.sample(topics, rng.randint(1, 3))
        sentences, spans = [f"Referat fra møte {n} i nettverket {name}, {meeting}.\n"], []
        for k in range(3):
            sentences.append(f"\nSak {k + 1}/{year} {rng.choice(WORDS).capitalize()}\n")
            for kind in ("decision", "action"):
                body = " ".join(rng.choice(WORDS) for _ in range(12))
                text = (f"Vedtak: {body} godkjennes." if kind == "decision"
                        else f"{rng.choice(ACTORS)} skal følge opp {body}.")
                start = sum(len(s) for s in sentences)
                sentences.append(text + "\n")
                spans.append((kind, text, start, k))
        document_text = "".join(sentences)
        doc_id = hashlib.sha256(document_text.encode()).hexdigest()
        rows["documents"].append({
            "id": doc_id, "schema_version": 1, "language": "nb" if country == "NO" else "sv",
            "title": f"Referat {name} {meeting}", "body": f"Nettverk {name}", "meeting_date": meeting,
            "next_meeting_date": None, "place": None, "chair": None, "secretary": None, "country": country,
            "county_id": county + 1, "region_id": region + 1, "topics": doc_topics, "extra": {}, "text": document_text,
            "pipeline_version": "bench", "model_version": "bench", "run_id": None, "created_at": now, "updated_at": now})
        rows["sources"].append({"uri": f"/bench/doc{n:06d}.txt", "file_hash": doc_id, "format": "txt", "size": 1000,
                                "document_id": doc_id, "run_id": None, "first_seen": now, "updated_at": now})
        local = [m for m, r in municipalities if r == region]
        for position, municipality in enumerate(rng.sample(local, min(len(local), rng.randint(1, 3)))):
            rows["document_municipalities"].append({"document_id": doc_id, "municipality_id": municipality,
                                                    "position": position})
        agenda_ids = []
        for k in range(3):
            agenda_id += 1
            agenda_ids.append(agenda_id)
            rows["agenda_items"].append({"id": agenda_id, "document_id": doc_id, "position": k,
                                         "number": f"{k + 1}/{year}", "title": "Sak", "start_offset": 0,
                                         "end_offset": len(document_text)})
        for position, (kind, text, start, k) in enumerate(spans):
            item_id += 1
            item_topics = rng.sample(doc_topics, 1) if rng.random() < 0.8 else rng.sample(topics, 1)
            rows["items"].append({"id": item_id, "document_id": doc_id, "position": position, "type": kind,
                                  "text": text, "start_offset": start, "end_offset": start + len(text),
                                  "agenda_item": f"{k + 1}/{year}", "agenda_item_id": agenda_ids[k],
                                  "confidence": round(rng.uniform(0.5, 1), 3), "topics": item_topics, "extra": {}})
            if kind == "action":
                rows["responsible_actors"].append({"item_id": item_id, "position": 0, "name": text.split()[0],
                                                   "kind": "role"})
                roll = rng.random()
                due = (f"{year + (month == 12)}-{month % 12 + 1:02d}-15" if roll < 0.6
                       else f"{year}-{month:02d}" if roll < 0.8 else None)
                rows["deadlines"].append({"item_id": item_id, "text": "innen neste møte", "date": due})
    models = {"regions": Region, "counties": County, "municipalities": Municipality, "documents": Document,
              "sources": Source, "document_municipalities": DocumentMunicipality, "agenda_items": AgendaItem,
              "items": Item, "responsible_actors": ResponsibleActor, "deadlines": Deadline}
    with engine.begin() as connection:
        for name in ("counties", "regions", "municipalities", "documents", "sources", "document_municipalities",
                     "agenda_items", "items", "responsible_actors", "deadlines"):
            table = models[name].__table__
            for start in range(0, len(rows[name]), 5000):
                connection.execute(insert(table), rows[name][start:start + 5000])
    with engine.begin() as connection:  # planner statistics, as autovacuum (PostgreSQL) would gather them
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return {name: len(values) for name, values in rows.items()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def measure(base: tuple[str, int], paths: list[tuple[str, str]],
            requests: int) -> list[tuple[str, str, float, float, float, int]]:
    """(label, path, first ms, p50 ms, p95 ms, bytes) per page: `requests` timed GETs after 2 warm-ups."""
    out = []
    connection = http.client.HTTPConnection(*base, timeout=120)
    for label, path in paths:
        times, size, first = [], 0, 0.0
        for n in range(requests + 2):
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status}")
            size = len(body)
            if n == 0:
                first = elapsed
            if n >= 2:
                times.append(elapsed)
        out.append((label, path, first, statistics.median(times), _percentile(times, 95), size))
    connection.close()
    return out


def _backends() -> list[str]:
    """SQLite always; PostgreSQL when MINUTES_BENCH_POSTGRES_URL or MINUTES_TEST_POSTGRES_URL names a server."""
    bench = os.environ.get("MINUTES_BENCH_POSTGRES_URL")
    if bench:
        os.environ.setdefault("MINUTES_TEST_POSTGRES_URL", bench)
    return ["sqlite"] + (["postgresql"] if os.environ.get("MINUTES_TEST_POSTGRES_URL") else [])


def _serve_and_measure(url: str, requests: int) -> list[tuple[str, str, float, float, float, int]]:
    import uvicorn

    from pipeline.web.app import create_app

    app = create_app(url)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        topic = "digitalisation"
        pages = [
            ("action list, first 100 of all by deadline", "/actions"),
            ("action list, region + topic filter", f"/actions?region={REGIONS[6][0]}&topic={topic}"),
            ("action list, overdue + free text", "/actions?overdue=1&q=budsjett"),
            ("comparison by region per year (heat map + trend)", "/compare?by=region&period=year"),
            ("comparison by municipality per quarter, one topic",
             f"/compare?by=municipality&period=quarter&topic={topic}"),
        ]
        return measure(("127.0.0.1", port), pages, requests)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


def web_latency(count: int = 10000, requests: int = 20) -> list[str]:
    """Markdown lines: p50/p95 latency of the action list and comparison pages on a store of
    `count` documents, on SQLite and (when a server is configured) PostgreSQL."""
    from pipeline.store.testing import forget_engine, temporary_database

    lines = [f"## Web page latency ({count} documents)", "",
             f"Each page requested {requests} times after 2 warm-ups, over one keep-alive connection to uvicorn "
             "on 127.0.0.1 (in the benchmark process, read-only engine); \"first request\" is the very first, "
             "cold one. The store is filled by bulk INSERT (no NLP).", "",
             "| database | page | p50 ms | p95 ms | first request ms | response KB |", "|---|---|---|---|---|---|"]
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in _backends():
            with temporary_database(backend, Path(tmp)) as url:
                start = time.perf_counter()
                counts = fill(url, count)
                forget_engine(url)
                notes.append(f"{backend}: {counts['documents']} documents, {counts['items']} items, "
                             f"{counts['deadlines']} deadlines filled in {time.perf_counter() - start:.1f} s.")
                for label, path, first, p50, p95, size in _serve_and_measure(url, requests):
                    lines.append(f"| {backend} | {label} (`{path}`) | {p50:.0f} | {p95:.0f} | {first:.0f} | "
                                 f"{size / 1024:.0f} |")
    if "postgresql" not in _backends():
        lines.append("| postgresql | not measured: set MINUTES_BENCH_POSTGRES_URL (or run scripts/postgres.sh) "
                     "| | | | |")
    return lines + [""] + notes + [""]


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    print("\n".join(web_latency(count, requests)))
