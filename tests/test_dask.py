"""flows.nightly_ingest with its per-document work on a real Dask cluster (prefect-dask's
DaskTaskRunner connected by address): a LocalCluster of 2 worker processes started here, offline,
storing into SQLite and (when MINUTES_TEST_POSTGRES_URL is set) PostgreSQL. Extraction is the
model-free `simple_extract`, so no NLP model is loaded."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Prefect keeps its state in a throw-away home; no API URL means ephemeral mode. Set before
# Prefect is imported, and before the workers start (they inherit the environment).
_PREFECT_HOME = tempfile.mkdtemp(prefix="minutes-prefect-dask-tests-")
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{_PREFECT_HOME}/prefect.db")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
for _name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_API_KEY"):
    os.environ.pop(_name, None)

import pytest  # noqa: E402

distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")

from sqlalchemy import select  # noqa: E402

from flows.nightly import DASK_ENV, dask_address, nightly_ingest  # noqa: E402
from pipeline.store import repository  # noqa: E402
from pipeline.store.db import get_engine, session_scope  # noqa: E402
from pipeline.store.models import IngestionError, Item, Run  # noqa: E402
from pipeline.store.testing import backend_params, simple_extract, temporary_database  # noqa: E402

EXTRACTOR = "pipeline.store.testing:simple_extract"
RECORDING = "tests.test_dask:recording_extract"
PID_DIR = "MINUTES_TEST_PID_DIR"


def recording_extract(path):
    """simple_extract, leaving a mark naming the process that ran it (in the workers' PID_DIR)."""
    import uuid

    folder = os.environ.get(PID_DIR)
    if folder:
        Path(folder, f"{os.getpid()}-{uuid.uuid4().hex}").write_text(Path(path).name, encoding="utf-8")
    return simple_extract(path)


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, on this machine; the extractor is set before they
    start, as a real cluster's workers would have it in their environment."""
    previous = {name: os.environ.get(name) for name in ("MINUTES_EXTRACTOR", PID_DIR)}
    marks = tempfile.mkdtemp(prefix="minutes-dask-pids-")
    os.environ["MINUTES_EXTRACTOR"], os.environ[PID_DIR] = RECORDING, marks
    try:
        with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                      host="127.0.0.1", protocol="tcp") as local:
            with distributed.Client(local) as client:
                client.wait_for_workers(2, timeout=120)
                local.marks = Path(marks)
                yield local
    finally:
        shutil.rmtree(marks, ignore_errors=True)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(autouse=True)
def model_free_extraction(monkeypatch):
    monkeypatch.setenv("MINUTES_EXTRACTOR", EXTRACTOR)


@pytest.fixture(params=backend_params())
def db_url(request, tmp_path):
    with temporary_database(request.param, tmp_path) as url:
        yield url


def minutes(marker: str, k: int) -> str:
    return (f"Referat fra Samarbeidsforum ({marker}, {k})\n\nSak 1/2022 Godkjenning\n\nVedtak: Plan {k} godkjennes.\n\n"
            f"Sak 2/2022 Kompetanse\n\nProsjektgruppa skal lage plan {k} innen 1. mars.\n")


def corpus(folder: Path, marker: str, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        path = folder / f"referat{k:02d}.txt"
        path.write_text(minutes(marker, k), encoding="utf-8")
        paths.append(path)
    return paths


def counts(url: str) -> dict[str, int]:
    with session_scope(get_engine(url)) as session:
        return repository.counts(session)


def worker_pids(cluster) -> set[int]:
    with distributed.Client(cluster) as client:
        return set(client.run(os.getpid).values())


def test_address_comes_from_the_parameter_else_the_environment(monkeypatch):
    monkeypatch.delenv(DASK_ENV, raising=False)
    assert dask_address() is None and dask_address("") is None
    monkeypatch.setenv(DASK_ENV, "tcp://10.0.0.5:8786")
    assert dask_address() == "tcp://10.0.0.5:8786"
    assert dask_address("tcp://127.0.0.1:8786") == "tcp://127.0.0.1:8786"


def test_nightly_ingest_on_a_two_worker_cluster(cluster, db_url, tmp_path, request, monkeypatch):
    folder = tmp_path / "docs"
    paths = corpus(folder, request.node.name, 8)
    (folder / "skadet.docx").write_bytes(b"PK\x03\x04 not really a zip" * 20)
    monkeypatch.delenv(DASK_ENV, raising=False)
    first = nightly_ingest([str(folder)], db_url, dask=cluster.scheduler_address)
    assert (first["seen"], first["stored"], first["unchanged"]) == (9, 8, 0)
    assert [(Path(uri).name, stage) for uri, stage, _ in first["errors"]] == [("skadet.docx", "read")]
    expected = [simple_extract(p) for p in paths]
    table = counts(db_url)
    assert (table["documents"], table["sources"]) == (8, 8)
    assert table["items"] == sum(len(e.items) for e in expected)
    with session_scope(get_engine(db_url)) as session:
        assert sorted(session.scalars(select(Item.text).where(Item.type == "decision"))) == \
            sorted(i.text for e in expected for i in e.items if i.type == "decision")
        error = session.scalars(select(IngestionError)).one()
        assert Path(error.uri).name == "skadet.docx" and error.stage == "read"
        assert session.get(Run, first["run_id"]).documents_stored == 8
    # an unchanged re-run, this time with the address from MINUTES_DASK_ADDRESS, stores nothing
    monkeypatch.setenv(DASK_ENV, cluster.scheduler_address)
    again = nightly_ingest([str(folder)], db_url)
    assert (again["seen"], again["stored"], again["unchanged"]) == (9, 0, 8)
    assert [Path(uri).name for uri, _, _ in again["errors"]] == ["skadet.docx"]
    after = counts(db_url)
    assert after.pop("runs") == 2 and table.pop("runs") == 1 and after == table


def test_both_workers_take_part(cluster, tmp_path, request):
    """Every document is extracted in a worker process, not here, and both workers are used."""
    folder = tmp_path / "docs"
    corpus(folder, request.node.name, 12)
    before = set(cluster.marks.iterdir())
    with temporary_database("sqlite", tmp_path) as url:
        summary = nightly_ingest([str(folder)], url, dask=cluster.scheduler_address)
        assert summary["stored"] == 12 and summary["errors"] == [], summary
        assert counts(url)["documents"] == 12
    marks = set(cluster.marks.iterdir()) - before
    assert sorted(m.read_text(encoding="utf-8") for m in marks) == [f"referat{k:02d}.txt" for k in range(12)]
    pids = {int(m.name.split("-")[0]) for m in marks}
    assert pids <= worker_pids(cluster) and len(pids) == 2 and os.getpid() not in pids


def test_extract_many_keeps_order_and_each_files_error(tmp_path, request):
    from pipeline.ingest import IngestError
    from pipeline.store import ingestion

    paths = corpus(tmp_path / "docs", request.node.name, 3)
    bad = tmp_path / "docs" / "tom.txt"
    bad.write_bytes(b"")
    uris = [str(paths[0]), str(bad), str(paths[1]), str(paths[2])]
    results = ingestion.extract_many(uris, 2)
    assert isinstance(results[1], IngestError) and ingestion.error_stage(results[1]) == "read"
    assert [r.document.id for r in (results[0], results[2], results[3])] == [simple_extract(p).document.id for p in paths]


@pytest.mark.parametrize("size", [1, 3])
def test_process_in_batches_stores_each_document(tmp_path, request, monkeypatch, size):
    from pipeline.store import ingestion
    from pipeline.store.db import make_engine
    from pipeline.store.migrate import upgrade

    monkeypatch.setenv(ingestion.BATCH_ENV, str(size))
    folder = tmp_path / "docs"
    corpus(folder, request.node.name, 7)
    (folder / "tom.txt").write_bytes(b"")
    with temporary_database("sqlite", tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            summary = ingestion.ingest(engine, [folder])
            assert (summary.seen, summary.stored) == (8, 7)
            assert [(Path(u).name, stage) for u, stage, _ in summary.errors] == [("tom.txt", "read")]
            again = ingestion.ingest(engine, [folder])
            assert (again.stored, again.unchanged) == (0, 7)
        finally:
            engine.dispose()
