"""`minutes actions|decisions|compare|show|stats|serve`: every filter and format, on a store of
hand-built extractions (SQLite; a smoke test also on PostgreSQL)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store.testing import backend_params, forget_engine, temporary_database
from pipeline.web.sample import HOSTILE_MARKER, populate

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("cli")
    url = f"sqlite:///{folder / 'minutes.sqlite'}"
    populate(url)
    forget_engine(url)
    return url


def run(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def as_json(*args: str) -> list[dict]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def first_words(records: list[dict]) -> list[str]:
    return [r["text"].split()[0] for r in records]


@pytest.mark.parametrize("args, expected", [
    ([], ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene", "Prosjektgruppa", "Kommunalsjefen",
          "Anna"]),
    (["--country", "SE"], ["Skolcheferna", "Anna"]),
    (["--county", "Trøndelag", "--region", "Trondheimsregionen"], ["IT-avdelingen"]),
    (["--region", "Skaraborg", "--topic", "digitalisation"], ["Anna"]),
    (["--municipality", "holtålen"], ["Statsforvalteren", "Rektorene", "Prosjektgruppa"]),
    (["--body", "Samarbeid"], ["Statsforvalteren", "Rektorene", "Prosjektgruppa", "Kommunalsjefen"]),
    (["-t", "finance", "-t", "learning_environment"], ["Rektorene", "Prosjektgruppa"]),
    (["-r", "forvalter"], ["Statsforvalteren"]),
    (["--language", "sv"], ["Skolcheferna", "Anna"]),
    (["--from", "2022-02", "--to", "2022-12-31"], ["IT-avdelingen"]),
    (["--deadline-from", "2022-06", "--deadline-to", "2022-12"], ["Rektorene", "Prosjektgruppa"]),
    (["--overdue", "--today", "2022-10-15"], ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene"]),
    (["-q", "aktivitetsplikt"], ["Rektorene"]),
    (["--sort", "meeting_date", "--desc", "-n", "2"], ["Kommunalsjefen", "IT-avdelingen"]),
    (["--region", "' OR '1'='1"], []),
])
def test_action_filters(db, args, expected):
    assert first_words(as_json("actions", "--db", db, *args)) == expected


def test_decision_filters(db):
    assert first_words(as_json("decisions", "--db", db, "--region", "Skaraborg")) == ["Protokollet", "Beslut:"]
    assert len(as_json("decisions", "--db", db)) == 7
    assert as_json("decisions", "--db", db, "--topic", "finance")[0]["text"] == "Vedtak: Budsjettet for nettverket vedtas."


def test_table_is_readable(db):
    result = run("actions", "--db", db, "--region", "Skaraborg")
    assert result.exit_code == 0
    assert "2 actions" in result.stdout
    assert "Deadline" in result.stdout and "Responsible" in result.stdout
    assert "2021-05-14" in result.stdout and "Skolcheferna" in result.stdout
    result = run("decisions", "--db", db, "--country", "SE")
    assert "2 decisions" in result.stdout and "Decision" in result.stdout


def test_table_to_file(db, tmp_path):
    out = tmp_path / "actions.txt"
    assert run("actions", "--db", db, "-o", str(out)).exit_code == 0
    assert "7 actions" in out.read_text(encoding="utf-8")


def test_csv(db, tmp_path):
    result = run("actions", "--db", db, "--country", "NO", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["responsible"] for r in table][:2] == ["Statsforvalteren", "IT-avdelingen " + HOSTILE_MARKER]
    assert table[0]["deadline_date"] == "2022-03-01" and table[0]["region"] == "Gauldalsregionen"
    out = tmp_path / "a.csv"
    assert run("actions", "--db", db, "-f", "csv", "-o", str(out)).exit_code == 0
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 7


def test_xlsx_opens_with_openpyxl(db, tmp_path):
    out = tmp_path / "actions.xlsx"
    result = run("actions", "--db", db, "--topic", "digitalisation", "-f", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.values)
    assert rows[0][:3] == ("type", "text", "responsible")
    assert [r[1].split()[0] for r in rows[1:]] == ["Prosjektgruppa", "Kommunalsjefen", "Anna"]


def test_ics_parses_with_icalendar(db, tmp_path):
    out = tmp_path / "actions.ics"
    assert run("actions", "--db", db, "--region", "Gauldalsregionen", "-f", "ics", "-o", str(out)).exit_code == 0
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    starts = sorted(e.decoded("dtstart") for e in events)
    # the month-only deadline 2022-10 is an all-day event on 1 October
    assert starts == [date(2022, 3, 1), date(2022, 6, 30), date(2022, 10, 1), date(2023, 11, 15)]
    stdout = run("actions", "--db", db, "--country", "SE", "-f", "ics").stdout
    assert len(list(Calendar.from_ical(stdout).walk("VEVENT"))) == 1  # Anna's action has no date


def test_bad_values_exit_2(db):
    for args in (["--format", "pdf"], ["--sort", "name; DROP"], ["--from", "last year"], ["--topic", "football"]):
        result = run("actions", "--db", db, *args)
        assert result.exit_code == 2, args


def test_missing_database(tmp_path):
    result = run("actions", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert result.exit_code == 2
    assert "no database" in result.output
    assert not (tmp_path / "none.sqlite").exists()


def test_compare(db, tmp_path):
    result = run("compare", "--db", db, "--by", "county", "--topic", "digitalisation", "--period", "all")
    assert result.exit_code == 0, result.output
    assert "Trøndelag" in result.stdout and "0.67" in result.stdout
    data = json.loads(run("compare", "--db", db, "--by", "region", "--period", "quarter", "-f", "json").stdout)
    keys = {(d["group"], d["period"], d["topic"]) for d in data}
    assert ("Skaraborg", "2021-Q2", "newcomers_language") in keys
    table = list(csv.DictReader(io.StringIO(run("compare", "--db", db, "--by", "municipality", "-t", "finance",
                                                "-f", "csv").stdout)))
    assert {r["group"] for r in table} == {"Midtre Gauldal", "Holtålen"}
    out = tmp_path / "compare.xlsx"
    assert run("compare", "--db", db, "-f", "xlsx", "-o", str(out)).exit_code == 0
    assert list(load_workbook(out).active.values)[0][0] == "group"
    assert run("compare", "--db", db, "--by", "planet").exit_code == 2
    assert run("compare", "--db", db, "--topic", "football").exit_code == 2
    assert run("compare", "--db", db, "--country", "SE", "--by", "region").exit_code == 0


def test_show(db):
    doc = as_json("actions", "--db", db, "--region", "Trondheimsregionen")[0]["document_id"]
    result = run("show", doc[:10], "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Oppvekstutvalget" in out and "Trondheimsregionen" in out
    assert HOSTILE_MARKER in out  # printed as text, not interpreted as Rich markup
    assert "[1]" in out and "[2]" in out  # item markers in the text
    assert run("show", "sample/hostile.txt", "--db", db, "--no-text").exit_code == 0
    assert run("show", "deadbeef00", "--db", db).exit_code == 1


def test_stats(db):
    result = run("stats", "--db", db, "--today", "2022-10-15")
    assert result.exit_code == 0
    for text in ("documents", "overdue actions (as of 2022-10-15)", "Skaraborg", "digitalisation"):
        assert text in result.stdout


def test_help_explains_itself():
    for command in ("actions", "decisions", "compare", "show", "stats", "serve"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "--db" in result.stdout
    assert "--overdue" in run("actions", "--help").stdout


def test_commands_do_not_write(db):
    path = Path(db.removeprefix("sqlite:///"))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    run("actions", "--db", db, "-f", "json")
    run("compare", "--db", db)
    run("stats", "--db", db)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("backend", backend_params())
def test_on_both_backends(backend, tmp_path):
    with temporary_database(backend, tmp_path) as url:
        populate(url)
        forget_engine(url)
        assert first_words(as_json("actions", "--db", url, "--region", "Skaraborg", "--topic", "newcomers_language")) \
            == ["Skolcheferna"]
        assert run("compare", "--db", url, "--by", "municipality").exit_code == 0
        assert run("stats", "--db", url).exit_code == 0
