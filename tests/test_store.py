"""pipeline/store on SQLite and PostgreSQL: migrations, the whole contract stored, idempotency,
replacement, errors, concurrency and atomicity. Without Prefect (flows are in test_flow*.py)."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from pipeline.contract import (
    AgendaItemOut,
    Deadline,
    DocumentInfo,
    Extraction,
    Item,
    Participant,
    Responsible,
)
from pipeline.store import ingestion, repository
from pipeline.store.db import get_engine, session_scope
from pipeline.store.migrate import current_revision, downgrade, head_revision, upgrade
from pipeline.store.models import Base, Document, IngestionError, Run, Source
from pipeline.store.testing import backend_params, temporary_database

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def model_free_extraction(monkeypatch):
    """Storage is tested with a small deterministic extractor (the real one is tested elsewhere)."""
    monkeypatch.setenv("MINUTES_EXTRACTOR", "pipeline.store.testing:simple_extract")


@pytest.fixture(params=backend_params())
def db_url(request, tmp_path):
    with temporary_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url):
    engine = get_engine(db_url)
    upgrade(engine)
    return engine


def make_extraction(text: str, *, items: list[tuple[str, str]] = (), source: str = "x.txt") -> Extraction:
    """An extraction with every attribute of the contract filled; items are (type, sentence in text)."""
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    agenda = [AgendaItemOut(number="3/2022", title="Kompetanse", start=0, end=len(text))]
    out = []
    for kind, sentence in items:
        start = text.index(sentence)
        out.append(Item(
            type=kind, text=sentence, start=start, end=start + len(sentence), agenda_item="3/2022",
            responsible=[Responsible(name="Statsforvalteren", kind="role"), Responsible(name="Tibro", kind="municipality")],
            deadline=Deadline(text="innen 1. mars", date="2022-03-01") if kind == "action" else None,
            topics=["competence_development", "finance"], confidence=0.91,
        ))
    info = DocumentInfo(
        id=doc_id, source=source, language="nb", title="Referat", body="Samarbeidsforum",
        meeting_date="2022-01-19", next_meeting_date="2022-03-09", place="Støren",
        participants=[Participant(name="Kari Nordmann", affiliation="Midtre Gauldal"), Participant(name="Ola")],
        chair="Kari Nordmann", secretary="Ola", country="NO", county="Trøndelag", region="Gauldalsregionen",
        municipalities=["Midtre Gauldal", "Holtålen"], topics=["competence_development"],
    )
    return Extraction(document=info, agenda_items=agenda, items=out, text=text)


def store(engine, extraction: Extraction, uri: str, file_hash: str = "h", **versions) -> repository.Stored:
    versions = {"pipeline_version": "1", "model_version": "m1", **versions}
    with session_scope(engine) as session:
        return repository.store_extraction(session, extraction, uri=uri, file_hash=file_hash, **versions)


def counts(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return repository.counts(session)


def write_minutes(folder: Path, name: str, marker: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"Referat fra møte i Samarbeidsforum {marker}\n\nSak 1/2022 Godkjenning av innkalling\n\n"
        f"Innkalling og saksliste ble godkjent.\n\nSak 2/2022 Kompetanseutvikling\n\n"
        f"Vedtak: Prosjektgruppa skal lage en plan for {marker} innen 1. mars.\n{extra}",
        encoding="utf-8",
    )
    return path


# --- migrations ----------------------------------------------------------------------------------

def test_upgrade_from_empty_and_downgrade_one_step(db_url):
    engine = get_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    upgrade(engine)  # idempotent
    downgrade(engine)  # one step
    assert current_revision(engine) != head_revision()
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_migrations_match_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


# --- the contract, stored and read back ------------------------------------------------------------

def test_every_attribute_of_the_contract_is_stored(engine):
    text = "Vedtak: Planen godkjennes. Statsforvalteren inviterer til dialogmøter innen 1. mars."
    extraction = make_extraction(text, items=[("decision", "Planen godkjennes."),
                                              ("action", "Statsforvalteren inviterer til dialogmøter")])
    stored = store(engine, extraction, "/minutes/a.txt")
    assert stored.created and stored.rewritten
    with session_scope(engine) as session:
        loaded = repository.load_extraction(session, extraction.document.id, source="x.txt")
    assert loaded == extraction
    table = counts(engine)
    assert table["items"] == 2 and table["responsible_actors"] == 4 and table["deadlines"] == 1
    assert table["participants"] == 2 and table["municipalities"] == 2 and table["counties"] == 1
    assert table["regions"] == 1 and table["agenda_items"] == 1


def test_same_text_under_two_paths_is_one_document_with_two_sources(engine):
    extraction = make_extraction("Referatet ble godkjent uten merknader.", items=[("decision", "Referatet ble godkjent")])
    first = store(engine, extraction, "/a/referat.txt")
    second = store(engine, extraction, "/b/kopi.txt")
    assert first.document_id == second.document_id and not second.created and not second.rewritten
    table = counts(engine)
    assert (table["documents"], table["sources"], table["items"]) == (1, 2, 1)


def test_changed_file_replaces_its_document_and_items(engine):
    old = make_extraction("Vedtak: Budsjettet godkjennes.", items=[("decision", "Budsjettet godkjennes.")])
    new = make_extraction("Vedtak: Budsjettet utsettes.", items=[("decision", "Budsjettet utsettes.")])
    store(engine, old, "/a/referat.txt", file_hash="1")
    stored = store(engine, new, "/a/referat.txt", file_hash="2")
    assert stored.removed_document == old.document.id
    with session_scope(engine) as session:
        assert session.scalars(select(Document.id)).all() == [new.document.id]
        assert [i.text for i in session.get(Document, new.document.id).items] == ["Budsjettet utsettes."]
    table = counts(engine)
    assert (table["items"], table["deadlines"], table["responsible_actors"], table["participants"]) == (1, 0, 2, 2)


def test_document_kept_while_another_source_holds_it(engine):
    shared = make_extraction("Felles tekst for to filer.")
    store(engine, shared, "/a.txt", file_hash="1")
    store(engine, shared, "/b.txt", file_hash="1")
    stored = store(engine, make_extraction("Ny tekst i a."), "/a.txt", file_hash="2")
    assert stored.removed_document is None
    assert counts(engine)["documents"] == 2


def test_new_model_version_rewrites_results(engine):
    extraction = make_extraction("Vedtak: Planen godkjennes.", items=[("decision", "Planen godkjennes.")])
    store(engine, extraction, "/a.txt")
    assert not store(engine, extraction, "/a.txt").rewritten
    assert store(engine, extraction, "/a.txt", model_version="m2").rewritten
    with session_scope(engine) as session:
        assert session.get(Document, extraction.document.id).model_version == "m2"
    assert counts(engine)["items"] == 1


def test_a_failing_store_leaves_nothing_half_written(engine, monkeypatch):
    extraction = make_extraction("Vedtak: Planen godkjennes.", items=[("decision", "Planen godkjennes.")])

    def broken(session, extraction):
        session.add_all([])
        raise RuntimeError("disk full")

    monkeypatch.setattr(repository, "_write_children", broken)
    with pytest.raises(RuntimeError):
        store(engine, extraction, "/a.txt")
    table = counts(engine)
    assert table["documents"] == table["sources"] == table["counties"] == 0


# --- ingestion: hash skip, errors, reprocessing --------------------------------------------------

def test_unchanged_files_are_skipped_before_parsing(engine, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    for n in range(3):
        write_minutes(folder, f"m{n}.txt", f"skip-{n}")
    first = ingestion.ingest(engine, [folder])
    assert (first.seen, first.stored, first.unchanged, first.errors) == (3, 3, 0, [])
    before = counts(engine)

    def no_parsing(uri):
        raise AssertionError(f"{uri} was parsed although unchanged")

    monkeypatch.setattr(ingestion, "extract_one", no_parsing)
    second = ingestion.ingest(engine, [folder])
    assert (second.seen, second.stored, second.unchanged, second.errors) == (3, 0, 3, [])
    after = counts(engine)
    assert after.pop("runs") == before.pop("runs") + 1
    assert after == before
    with session_scope(engine) as session:
        run = session.get(Run, second.run_id)
        assert (run.status, run.files_seen, run.files_unchanged, run.documents_stored) == ("completed", 3, 3, 0)
        assert run.finished_at is not None and run.model_version and run.pipeline_version


def test_bad_file_is_recorded_and_cleared_when_it_succeeds(engine, tmp_path):
    folder = tmp_path / "docs"
    write_minutes(folder, "good.txt", "errors-good")
    bad = folder / "bad.docx"
    bad.write_bytes(b"\x00\x01\x02garbage" * 50)
    summary = ingestion.ingest(engine, [folder])
    assert summary.stored == 1
    assert [(Path(uri).name, stage) for uri, stage, _ in summary.errors] == [("bad.docx", "read")]
    with session_scope(engine) as session:
        (error,) = repository.errors(session)
        assert (Path(error.uri).name, error.stage, error.attempts) == ("bad.docx", "read", 1)
        assert error.message and error.run_id == summary.run_id
    ingestion.ingest(engine, [folder])  # retried the next night, still bad
    with session_scope(engine) as session:
        assert repository.errors(session)[0].attempts == 2
    bad.unlink()
    write_minutes(folder, "bad.txt", "errors-fixed")
    bad.with_suffix(".txt").rename(bad)  # the same file, now readable (sniffed as text)
    summary = ingestion.ingest(engine, [folder])
    assert summary.errors == [] and summary.stored == 1
    with session_scope(engine) as session:
        assert repository.errors(session) == []
        assert session.scalar(select(Source.document_id).where(Source.uri == ingestion.source_uri(bad)))


def test_reprocess_plan_finds_documents_of_other_versions(engine, tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    write_minutes(folder, "a.txt", "reprocess-a")
    write_minutes(folder, "b.txt", "reprocess-b")
    ingestion.ingest(engine, [folder])
    assert ingestion.reprocess_plan(engine) == ([], [])
    monkeypatch.setenv("MINUTES_MODEL_VERSION", "next-model")
    candidates, missing = ingestion.reprocess_plan(engine)
    assert len(candidates) == 2 and missing == []
    summary = ingestion.Summary()
    ingestion.process(engine, candidates, summary, force=True)
    assert summary.stored == 2
    with session_scope(engine) as session:
        assert set(session.scalars(select(Document.model_version))) == {"next-model"}
    assert ingestion.reprocess_plan(engine) == ([], [])


# --- concurrency: two runs at once never duplicate ---------------------------------------------------

def _folder_with_duplicates(folder: Path, n: int) -> int:
    for k in range(n):
        write_minutes(folder, f"m{k:02d}.txt", f"concurrent-{k}")
    (folder / "copy.txt").write_bytes((folder / "m00.txt").read_bytes())  # same text, second path
    return n


def test_threads_ingesting_the_same_folder_create_no_duplicates(engine, tmp_path):
    folder = tmp_path / "docs"
    n = _folder_with_duplicates(folder, 6)
    failures: list[BaseException] = []

    def work():
        try:
            summary = ingestion.ingest(engine, [folder])
            assert summary.errors == []
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    table = counts(engine)
    assert (table["documents"], table["sources"], table["ingestion_errors"]) == (n, n + 1, 0)
    with session_scope(engine) as session:
        per_doc = [len(doc.agenda_items) for doc in session.scalars(select(Document))]
    assert table["agenda_items"] == sum(per_doc) and len(set(per_doc)) == 1


def test_processes_ingesting_the_same_folder_create_no_duplicates(db_url, tmp_path):
    """Two processes start on an empty database at once: migrations and rows are not doubled."""
    folder = tmp_path / "docs"
    n = _folder_with_duplicates(folder, 6)
    script = (
        "import sys\n"
        "from pipeline.store.db import get_engine\n"
        "from pipeline.store.migrate import upgrade\n"
        "from pipeline.store import ingestion\n"
        "engine = get_engine(sys.argv[1]); upgrade(engine)\n"
        "summary = ingestion.ingest(engine, [sys.argv[2]])\n"
        "assert summary.errors == [], summary.errors\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, db_url, str(folder)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=240)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    engine = get_engine(db_url)
    table = counts(engine)
    assert (table["documents"], table["sources"], table["runs"]) == (n, n + 1, 2)
    with session_scope(engine) as session:
        assert session.scalars(select(IngestionError)).all() == []
        runs = session.scalars(select(Run)).all()
    assert sum(r.documents_stored for r in runs) >= n and all(r.status == "completed" for r in runs)


def test_database_url_defaults_and_postgres_scheme(monkeypatch):
    from pipeline.store.db import DEFAULT_URL, database_url

    monkeypatch.delenv("MINUTES_DATABASE_URL", raising=False)
    assert database_url() == DEFAULT_URL == "sqlite:///var/minutes.sqlite"
    monkeypatch.setenv("MINUTES_DATABASE_URL", "postgresql://u@h/d")
    assert database_url() == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert os.environ["MINUTES_DATABASE_URL"] == "postgresql://u@h/d"


def test_sqlite_uses_wal(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_cli_migrate_up_and_one_step_down(db_url):
    from typer.testing import CliRunner

    from pipeline.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["migrate", "--db", db_url])
    assert result.exit_code == 0 and f"revision {head_revision()}" in result.output, result.output
    result = runner.invoke(app, ["migrate", "--db", db_url, "--revision", "-1"])
    assert result.exit_code == 0 and "revision None" in result.output, result.output
