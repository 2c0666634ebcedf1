"""The nightly schedule on a real Prefect server: what a user leaves running (README).

Starts `prefect server start` offline on a free localhost port with its own SQLite database,
serves the deployment with `minutes schedule` (its cron schedule), checks the schedule is
registered, triggers a run through the API and sees the documents stored.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from pipeline.store.db import get_engine, session_scope
from pipeline.store.models import Document, Source
from pipeline.store.testing import forget_engine

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check, timeout: float, procs: list[subprocess.Popen]):
    deadline = time.monotonic() + timeout
    while True:
        for proc in procs:
            if proc.poll() is not None:
                raise AssertionError(f"{proc.args[:3]} exited with {proc.returncode} while waiting for {what}")
        try:
            result = check()
        except httpx.HTTPError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(1)


def stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)
    return proc.stdout.read().decode(errors="replace")[-4000:] if proc.stdout else ""


@pytest.mark.slow
def test_schedule_is_registered_and_a_triggered_run_stores_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for k in range(3):
        (docs / f"referat{k}.txt").write_text(
            f"Referat {k} (server test)\n\nSak {k}/2022 Budsjett\n\nVedtak: Budsjettet {k} godkjennes.\n", encoding="utf-8")
    db_url = f"sqlite:///{tmp_path / 'minutes.sqlite'}"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    base_env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="INFO",
                    MINUTES_EXTRACTOR="pipeline.store.testing:simple_extract")
    server_env = {**base_env, "PREFECT_HOME": str(tmp_path / "server-home"), "PREFECT_UI_ENABLED": "false",
                  "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp_path / 'prefect-server.db'}"}
    serve_env = {**base_env, "PREFECT_HOME": str(tmp_path / "client-home"), "PREFECT_API_URL": api,
                 "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=tmp_path, env=server_env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    served = None
    try:
        wait_for("the Prefect server", lambda: httpx.get(f"{api}/health", timeout=5).json() is True, 150, [server])
        served = subprocess.Popen([str(BIN / "minutes"), "schedule", str(docs), "--db", db_url, "--cron", "0 2 * * *"],
                                  cwd=ROOT, env=serve_env, start_new_session=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        def deployment():
            response = httpx.get(f"{api}/deployments/name/nightly-ingest/nightly", timeout=10)
            return response.json() if response.status_code == 200 else None

        found = wait_for("the nightly deployment", deployment, 150, [server, served])
        (schedule,) = found["schedules"]
        assert schedule["active"] and schedule["schedule"]["cron"] == "0 2 * * *"
        assert schedule["schedule"]["timezone"] == "Europe/Oslo"
        assert found["parameters"]["sources"] == [str(docs.resolve())]

        run = httpx.post(f"{api}/deployments/{found['id']}/create_flow_run", json={}, timeout=10).json()

        def finished():
            state = httpx.get(f"{api}/flow_runs/{run['id']}", timeout=10).json()["state"]
            return state if state["type"] in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} else None

        state = wait_for("the triggered flow run", finished, 240, [server, served])
        assert state["type"] == "COMPLETED", state
    except BaseException:
        print("--- minutes schedule ---\n", stop(served) if served else "", "\n--- prefect server ---\n", stop(server))
        raise
    finally:
        if served:
            stop(served)
        stop(server)
    engine = get_engine(db_url)
    try:
        with session_scope(engine) as session:
            assert len(session.scalars(select(Document)).all()) == 3
            assert {Path(uri).name for uri in session.scalars(select(Source.uri))} == {f"referat{k}.txt" for k in range(3)}
    finally:
        forget_engine(db_url)
