"""flows.nightly_ingest on SQLite and PostgreSQL, run in Prefect's ephemeral mode (no server):
a second run stores nothing new, a changed file's items are replaced, a corrupt file is recorded
while the good ones are stored, and a run killed mid-way is completed by the next one."""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Prefect keeps its state in a throw-away home; no API URL means ephemeral mode. Set before
# Prefect is imported (flows.nightly imports it).
_PREFECT_HOME = tempfile.mkdtemp(prefix="minutes-prefect-tests-")
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_API_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{_PREFECT_HOME}/prefect.db"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
for _name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_API_KEY"):
    os.environ.pop(_name, None)

import pytest  # noqa: E402
from sqlalchemy import select  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from flows.nightly import content_cache_key, is_transient, nightly_ingest  # noqa: E402
from pipeline.cli import app  # noqa: E402
from pipeline.ingest import IngestError  # noqa: E402
from pipeline.store import repository  # noqa: E402
from pipeline.store.db import get_engine, session_scope  # noqa: E402
from pipeline.store.models import Document, IngestionError, Item, Run, Source  # noqa: E402
from pipeline.store.testing import backend_params, simple_extract, temporary_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXTRACTOR = "pipeline.store.testing:simple_extract"


@pytest.fixture(autouse=True)
def model_free_extraction(monkeypatch):
    monkeypatch.setenv("MINUTES_EXTRACTOR", EXTRACTOR)


@pytest.fixture(params=backend_params())
def db_url(request, tmp_path):
    with temporary_database(request.param, tmp_path) as url:
        yield url


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def minutes(marker: str, decision: str = "Planen godkjennes.", action: str = "Prosjektgruppa skal lage en plan") -> str:
    return (f"Referat fra Samarbeidsforum ({marker})\n\nSak 1/2022 Godkjenning\n\nVedtak: {decision}\n\n"
            f"Sak 2/2022 Kompetanse\n\n{action} innen 1. mars.\n")


def counts(url: str) -> dict[str, int]:
    with session_scope(get_engine(url)) as session:
        return repository.counts(session)


def corpus(folder: Path, tag: str, n: int = 4) -> list[Path]:
    return [write(folder, f"referat{k}.txt", minutes(f"{tag}-{k}")) for k in range(n)]


def test_second_run_stores_nothing_new(db_url, tmp_path, request):
    folder = tmp_path / "docs"
    corpus(folder, request.node.name)
    write(folder, "kopi.txt", (folder / "referat0.txt").read_text(encoding="utf-8"))  # same text, two paths
    first = nightly_ingest([str(folder)], db_url)
    assert (first["seen"], first["stored"], first["unchanged"], first["errors"]) == (5, 5, 0, [])
    before = counts(db_url)
    assert (before["documents"], before["sources"], before["items"]) == (4, 5, 8)
    second = nightly_ingest([str(folder)], db_url)
    assert (second["seen"], second["stored"], second["unchanged"], second["errors"]) == (5, 0, 5, [])
    after = counts(db_url)
    assert after.pop("runs") == 2 and before.pop("runs") == 1
    assert after == before
    with session_scope(get_engine(db_url)) as session:
        runs = session.scalars(select(Run).order_by(Run.id)).all()
    assert [(r.status, r.documents_stored, r.files_unchanged) for r in runs] == [("completed", 5, 0), ("completed", 0, 5)]
    assert all(r.flow_run_id for r in runs)


def test_changed_file_replaces_its_old_items(db_url, tmp_path, request):
    folder = tmp_path / "docs"
    corpus(folder, request.node.name, 2)
    path = write(folder, "endres.txt", minutes(request.node.name, "Budsjettet godkjennes.", "Rektor skal sende budsjettet"))
    nightly_ingest([str(folder)], db_url)
    write(folder, "endres.txt", minutes(request.node.name, "Budsjettet utsettes.", "Kommunen skal finne midler"))
    summary = nightly_ingest([str(folder)], db_url)
    assert (summary["stored"], summary["unchanged"]) == (1, 2)
    uri = path.resolve().as_posix()
    with session_scope(get_engine(db_url)) as session:
        doc_id = session.scalar(select(Source.document_id).where(Source.uri == uri))
        texts = session.scalars(select(Item.text).where(Item.document_id == doc_id).order_by(Item.position)).all()
        all_texts = set(session.scalars(select(Item.text)))
        assert session.scalar(select(Document.text).where(Document.id == doc_id)).count("utsettes") == 1
    assert texts == ["Budsjettet utsettes.", "Kommunen skal finne midler innen 1. mars"]
    assert not {"Budsjettet godkjennes.", "Rektor skal sende budsjettet innen 1. mars"} & all_texts
    table = counts(db_url)
    assert (table["documents"], table["sources"], table["items"], table["responsible_actors"]) == (3, 3, 6, 3)


def test_corrupt_file_is_recorded_and_the_good_ones_stored(db_url, tmp_path, request):
    folder = tmp_path / "docs"
    corpus(folder, request.node.name, 3)
    (folder / "skadet.docx").write_bytes(b"PK\x03\x04 not really a zip" * 20)
    (folder / "tom.txt").write_bytes(b"")
    summary = nightly_ingest([str(folder)], db_url)
    assert summary["stored"] == 3
    assert sorted((Path(uri).name, stage) for uri, stage, _ in summary["errors"]) == [("skadet.docx", "read"), ("tom.txt", "read")]
    with session_scope(get_engine(db_url)) as session:
        errors = {Path(e.uri).name: e for e in session.scalars(select(IngestionError))}
        assert set(errors) == {"skadet.docx", "tom.txt"}
        assert errors["tom.txt"].message == "empty file" and errors["tom.txt"].stage == "read"
        assert all(e.run_id == summary["run_id"] for e in errors.values())
        assert session.get(Run, summary["run_id"]).errors == 2
    assert counts(db_url)["documents"] == 3
    # next night: still failing files are retried, the fixed one is stored and its error cleared
    write(folder, "tom.txt", minutes(request.node.name + "-fixed"))
    summary = nightly_ingest([str(folder)], db_url)
    assert summary["stored"] == 1 and [Path(u).name for u, _, _ in summary["errors"]] == ["skadet.docx"]
    with session_scope(get_engine(db_url)) as session:
        assert [Path(e.uri).name for e in session.scalars(select(IngestionError))] == ["skadet.docx"]
        assert session.scalar(select(IngestionError.attempts)) == 2


KILLED_RUN = """
import sys, time, pathlib
from pipeline.store import repository
write_children, stored = repository._write_children, []

def slow(session, extraction):
    write_children(session, extraction)     # this document's rows are written, not yet committed
    stored.append(extraction.document.id)
    if len(stored) == 3:
        pathlib.Path(sys.argv[3]).write_text("inside the third document's transaction")
        time.sleep(600)

repository._write_children = slow
from flows.nightly import nightly_ingest
nightly_ingest([sys.argv[1]], sys.argv[2])
"""


def test_run_killed_mid_way_leaves_nothing_half_written(db_url, tmp_path, request):
    folder = tmp_path / "docs"
    paths = corpus(folder, request.node.name, 6)
    marker = tmp_path / "marker"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
           "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(folder), db_url, str(marker)], cwd=ROOT, env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the run never reached its third document"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its ephemeral Prefect server
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    expected = {simple_extract(p).document.id: simple_extract(p) for p in paths}
    with session_scope(get_engine(db_url)) as session:
        documents = session.scalars(select(Document)).all()
        assert len(documents) == 2  # committed before the kill; the third was rolled back
        for doc in documents:
            assert [i.text for i in doc.items] == [i.text for i in expected[doc.id].items]
            assert len(doc.agenda_items) == len(expected[doc.id].agenda_items)
        assert session.scalar(select(Run.status)) == "running"  # the killed run, as it was left
        assert all(s.document_id for s in session.scalars(select(Source)))
    summary = nightly_ingest([str(folder)], db_url)
    assert (summary["stored"], summary["unchanged"], summary["errors"]) == (4, 2, [])
    table = counts(db_url)
    assert (table["documents"], table["sources"]) == (6, 6)
    assert table["items"] == sum(len(e.items) for e in expected.values())
    assert table["agenda_items"] == sum(len(e.agenda_items) for e in expected.values())


def test_cli_ingest_and_reprocess(db_url, tmp_path, request, monkeypatch):
    folder = tmp_path / "docs"
    corpus(folder, request.node.name, 2)
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "-q"])
    assert result.exit_code == 0, result.output
    assert "2 documents stored" in result.output
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "-q"])
    assert "2 unchanged, 0 documents stored, 0 errors" in result.output
    monkeypatch.setenv("MINUTES_MODEL_VERSION", "a-new-model")
    result = runner.invoke(app, ["reprocess", "--db", db_url, "-q"])
    assert result.exit_code == 0, result.output
    assert "2 documents reprocessed" in result.output
    with session_scope(get_engine(db_url)) as session:
        assert set(session.scalars(select(Document.model_version))) == {"a-new-model"}
    (folder / "skadet.pdf").write_bytes(b"%PDF-1.4 broken")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db_url, "-q"])
    assert result.exit_code == 1 and "skadet.pdf" in result.output


def test_cache_key_is_the_content_and_versions(monkeypatch):
    key = content_cache_key(None, {"uri": "/a/x.TXT", "file_hash": "abc"})
    assert key.startswith("extract-abc.txt-") and EXTRACTOR in key
    monkeypatch.setenv("MINUTES_MODEL_VERSION", "other")
    assert content_cache_key(None, {"uri": "/b/y.txt", "file_hash": "abc"}) != key


def test_only_transient_errors_are_retried():
    from sqlalchemy.exc import OperationalError

    assert is_transient(OperationalError("SELECT 1", {}, Exception("database is locked")))
    assert is_transient(TimeoutError())
    assert not is_transient(IngestError("x.pdf", "encrypted"))
    assert not is_transient(ValueError("bug"))


def test_extraction_is_cached_on_content_hash(tmp_path, request, monkeypatch):
    """The same bytes are not parsed twice with the same versions, even for another database."""
    from pipeline.store import ingestion

    folder = tmp_path / "docs"
    corpus(folder, request.node.name, 2)
    first = nightly_ingest([str(folder)], f"sqlite:///{tmp_path / 'one.sqlite'}")
    assert first["stored"] == 2

    def no_parsing(uri):
        raise AssertionError(f"{uri} parsed again")

    monkeypatch.setattr(ingestion, "extract_one", no_parsing)
    second = nightly_ingest([str(folder)], f"sqlite:///{tmp_path / 'two.sqlite'}")
    assert (second["stored"], second["errors"]) == (2, [])
    monkeypatch.setenv("MINUTES_MODEL_VERSION", "another-model")  # another version: parsed again
    third = nightly_ingest([str(folder)], f"sqlite:///{tmp_path / 'three.sqlite'}")
    assert third["stored"] == 0 and len(third["errors"]) == 2
