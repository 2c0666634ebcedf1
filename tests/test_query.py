"""pipeline/query.py on SQLite and PostgreSQL: every filter, sorting, comparison, statistics,
document view, the read-only engine, and injection attempts (hand-built extractions, no NLP)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pipeline import query as q
from pipeline.store.testing import backend_params, forget_engine, temporary_database
from pipeline.web.sample import HOSTILE_MARKER, populate

TODAY = "2022-10-15"


@pytest.fixture(scope="module", params=backend_params())
def store_url(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp("query")) as url:
        populate(url)
        forget_engine(url)  # release the writer: everything below reads through the read-only engine
        yield url


@pytest.fixture(scope="module")
def engine(store_url):
    engine = q.read_only_engine(store_url)
    q.check_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with Session(engine) as s:
        yield s


def first_words(rows) -> list[str]:
    return [r.text.split()[0] for r in rows]


def actions(session, **filters) -> list[str]:
    return first_words(q.list_items(session, q.Filters(**filters), "action", sort="deadline"))


def decisions(session, **filters) -> list[str]:
    return first_words(q.list_items(session, q.Filters(**filters), "decision", sort="meeting_date"))


def test_all_actions_sorted_by_deadline_undated_last(session):
    assert actions(session) == ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene", "Prosjektgruppa",
                                "Kommunalsjefen", "Anna"]
    assert q.count_items(session, q.Filters(), "action") == 7
    assert q.count_items(session, q.Filters(), "decision") == 7
    assert q.count_items(session, q.Filters()) == 14


def test_rows_carry_context(session):
    row = q.list_items(session, q.Filters(responsible="Rektorene"), "action")[0]
    assert row.responsible == ["Rektorene"]
    assert (row.deadline_text, row.deadline_date) == ("innen utgangen av juni", "2022-06-30")
    assert row.topics == ["learning_environment"]
    assert (row.agenda_item, row.agenda_title) == ("3/2022", "Læringsmiljø")
    assert (row.country, row.county, row.region) == ("NO", "Trøndelag", "Gauldalsregionen")
    assert row.municipalities == ["Midtre Gauldal", "Holtålen"]
    assert (row.body, row.meeting_date, row.language) == ("Samarbeidsforum", "2022-01-19", "nb")
    assert row.text == "Rektorene skal oppdatere planene for aktivitetsplikt innen utgangen av juni."


@pytest.mark.parametrize("filters, expected", [
    ({"country": "SE"}, ["Skolcheferna", "Anna"]),
    ({"country": "no"}, ["Statsforvalteren", "IT-avdelingen", "Rektorene", "Prosjektgruppa", "Kommunalsjefen"]),
    ({"county": "Västra Götalands län"}, ["Skolcheferna", "Anna"]),
    ({"region": "gauldalsregionen"}, ["Statsforvalteren", "Rektorene", "Prosjektgruppa", "Kommunalsjefen"]),
    ({"municipality": "Holtålen"}, ["Statsforvalteren", "Rektorene", "Prosjektgruppa"]),
    ({"body": "chefsnät"}, ["Skolcheferna", "Anna"]),
    ({"topics": ["digitalisation"]}, ["Prosjektgruppa", "Kommunalsjefen", "Anna"]),
    ({"topics": ["finance", "newcomers_language"]}, ["Skolcheferna", "Prosjektgruppa"]),
    ({"responsible": "sjefen"}, ["Kommunalsjefen"]),
    ({"language": "sv"}, ["Skolcheferna", "Anna"]),
    ({"date_from": "2022-01-19", "date_to": "2022-03"}, ["Statsforvalteren", "IT-avdelingen", "Rektorene",
                                                         "Prosjektgruppa"]),
    ({"date_from": "2023"}, ["Kommunalsjefen"]),
    ({"date_to": "2021"}, ["Skolcheferna", "Anna"]),
    ({"deadline_from": "2022-04-10", "deadline_to": "2022-10"}, ["IT-avdelingen", "Rektorene", "Prosjektgruppa"]),
    ({"deadline_to": "2022-03-31"}, ["Skolcheferna", "Statsforvalteren"]),
    ({"overdue": True, "today": TODAY}, ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene"]),
    # a month-only deadline (2022-10) is overdue once October is over
    ({"overdue": True, "today": "2022-11-01"}, ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene",
                                                "Prosjektgruppa"]),
    ({"text": "PERSONVERN"}, ["Kommunalsjefen"]),
    ({"text": "Skolchefsnätverket"}, ["Skolcheferna", "Anna"]),  # the document title
    ({"region": "Gauldalsregionen", "topics": ["learning_environment"]}, ["Rektorene"]),
    ({"region": "Skaraborg", "topics": ["finance"]}, []),
])
def test_each_filter(session, filters, expected):
    assert actions(session, **filters) == expected
    assert q.count_items(session, q.Filters(**filters), "action") == len(expected)


def test_decision_filters(session):
    assert decisions(session, region="Skaraborg") == ["Protokollet", "Beslut:"]
    assert decisions(session, topics=["finance"]) == ["Vedtak:"]
    assert decisions(session, date_from="2023-01-01") == ["Vedtak:", "Vedtak:"]


@pytest.mark.parametrize("sort, descending, first", [
    ("deadline", True, "Kommunalsjefen"), ("meeting_date", False, "Skolcheferna"),
    ("meeting_date", True, "Kommunalsjefen"), ("region", False, "Statsforvalteren"), ("body", False, "IT-avdelingen"),
    ("body", True, "Skolcheferna"), ("nonsense; DROP TABLE items", False, "Kommunalsjefen"),
])
def test_sorting(session, sort, descending, first):
    rows = q.list_items(session, q.Filters(), "action", sort=sort, descending=descending)
    assert rows[0].text.split()[0] == first
    assert len(rows) == 7


def test_paging(session):
    page1 = q.list_items(session, q.Filters(), "action", sort="deadline", limit=3)
    page3 = q.list_items(session, q.Filters(), "action", sort="deadline", limit=3, offset=6)
    assert first_words(page1) == ["Skolcheferna", "Statsforvalteren", "IT-avdelingen"]
    assert first_words(page3) == ["Anna"]


@pytest.mark.parametrize("filters", [
    {"region": "' OR '1'='1"}, {"county": "x'; DROP TABLE items; --"}, {"text": "%"}, {"text": "_"},
    {"body": "' OR 1=1 --"}, {"responsible": "\\"}, {"municipality": "%"}, {"language": "nb' OR 'x'='x"},
    {"date_from": "2020' OR '1'='1"}, {"deadline_to": "9999-99-99"}, {"topics": ["finance\" OR 1=1 --"]},
    {"topics": ["%"]}, {"country": "NO' OR 1=1 --"}, {"document": "' OR ''='"},
])
def test_injection_attempts_give_normal_empty_results(session, filters):
    assert q.list_items(session, q.Filters(**filters)) == []
    assert q.count_items(session, q.Filters(**filters)) == 0
    # and the store is intact
    assert q.count_items(session, q.Filters()) == 14


def test_invalid_values_are_reported(session):
    problems = q.Filters(date_from="yesterday", topics=["nope"], country="DK").errors()
    assert len(problems) == 3 and "yesterday" in problems[0]
    assert q.Filters(date_from="2022-02-30").errors()
    assert not q.Filters(date_from="2022", date_to="2022-02", deadline_from="2022-02-28").errors()


def test_free_text_is_literal(session):
    assert actions(session, text="1=1 --") == ["IT-avdelingen"]
    assert decisions(session, text="'; DROP TABLE") == ["Vedtak:"]


def test_from_params():
    filters = q.Filters.from_params({"region": "Skaraborg", "topic": ["finance", "digitalisation"], "from": "2021",
                                     "overdue": "1", "q": "  ", "deadline_to": "2022-01"})
    assert filters.region == "Skaraborg" and filters.topics == ["finance", "digitalisation"]
    assert filters.date_from == "2021" and filters.overdue and filters.text is None
    assert filters.deadline_to == "2022-01"


def test_compare_by_region_and_year(session):
    rows = {(r.group, r.period, r.topic): r for r in q.compare(session, "region", [], "year")}
    gauldal = rows[("Gauldalsregionen", "2022", "competence_development")]
    assert (gauldal.documents, gauldal.decisions, gauldal.actions, gauldal.total_documents) == (1, 1, 1, 1)
    digital = rows[("Gauldalsregionen", "2023", "digitalisation")]
    assert (digital.documents, digital.decisions, digital.actions) == (1, 1, 1)
    assert rows[("Skaraborg", "2021", "newcomers_language")].actions_per_document == 1.0
    assert ("Trondheimsregionen", "2022", "privacy_data_protection") in rows


def test_compare_normalises_per_document(session):
    rows = q.compare(session, "county", ["digitalisation"], "all")
    by_group = {r.group: r for r in rows}
    trondelag = by_group["Trøndelag"]
    assert trondelag.total_documents == 3
    assert (trondelag.documents, trondelag.decisions, trondelag.actions) == (1, 1, 2)
    assert trondelag.actions_per_document == pytest.approx(2 / 3)
    assert trondelag.documents_share == pytest.approx(1 / 3)
    assert {r.topic for r in rows} == {"digitalisation"}


def test_compare_by_municipality_and_quarter(session):
    rows = q.compare(session, "municipality", ["finance"], "quarter")
    assert {(r.group, r.period) for r in rows} == {("Midtre Gauldal", "2022-Q1"), ("Holtålen", "2022-Q1"),
                                                   ("Midtre Gauldal", "2023-Q4")}


def test_compare_with_filters_and_errors(session):
    rows = q.compare(session, "region", [], "year", q.Filters(country="SE"))
    assert {r.group for r in rows} == {"Skaraborg"}
    assert q.compare(session, "region", [], "year", q.Filters(date_from="' OR 1=1")) == []
    with pytest.raises(q.QueryError):
        q.compare(session, "planet", [], "year")
    with pytest.raises(q.QueryError):
        q.compare(session, "region", ["nope"], "year")


def test_heat_map_and_trend(session):
    rows = q.compare(session, "region", [], "year")
    groups, topics, values = q.heat_map(rows, "actions")
    assert groups == ["Gauldalsregionen", "Skaraborg", "Trondheimsregionen"]
    assert topics[0] == "learning_environment"  # taxonomy order
    assert values[("Gauldalsregionen", "digitalisation")] == 2
    periods, series = q.trend(q.compare(session, "region", ["digitalisation"], "year"), "actions_per_document")
    assert periods == ["2021", "2022", "2023"]
    assert series["Gauldalsregionen"] == {"2022": 1.0, "2023": 1.0}


def test_stats(session):
    data = q.stats(session, today=TODAY)
    assert (data["documents"], data["decisions"], data["actions"]) == (4, 7, 7)
    assert data["actions_with_deadline"] == 6
    assert data["overdue_actions"] == 4
    assert (data["first_meeting"], data["last_meeting"]) == ("2021-04-20", "2023-10-12")
    assert dict(data["by_country"]) == {"NO": 3, "SE": 1}
    assert dict(data["items_by_topic"])["digitalisation"] == 4


def test_find_and_get_document(session):
    row = q.list_items(session, q.Filters(responsible="Rektorene"), "action")[0]
    assert q.find_document(session, row.document_id) == row.document_id
    assert q.find_document(session, row.document_id[:8]) == row.document_id
    assert q.find_document(session, "sample/gauldal-2022-01.txt") == row.document_id
    assert q.find_document(session, "' OR 1=1 --") is None
    assert q.find_document(session, "") is None
    view = q.get_document(session, row.document_id)
    assert view.title == "Referat fra møte i Samarbeidsforum Gauldal"
    assert [a["number"] for a in view.agenda_items] == ["1/2022", "2/2022", "3/2022"]
    assert [r.position for r in view.items] == [0, 1, 2, 3, 4]
    assert view.participants[0] == ("Kari Nordmann", "Midtre Gauldal")
    assert q.agenda_of(view, row.start)["title"] == "Læringsmiljø"
    segments = q.segments(view.text, view.items)
    assert "".join(s.text for s in segments) == view.text
    marked = [s for s in segments if row.id in s.items]
    assert "".join(s.text for s in marked) == row.text
    assert marked[0].starting == (row.id,)


def test_segments_with_overlaps():
    class Item:
        def __init__(self, id, start, end, type):
            self.id, self.start, self.end, self.type = id, start, end, type

    segments = q.segments("abcdefgh", [Item(1, 1, 5, "decision"), Item(2, 3, 7, "action"), Item(3, 6, 99, "action")])
    assert [(s.text, s.items) for s in segments] == [("a", ()), ("bc", (1,)), ("de", (1, 2)), ("fg", (2,)), ("h", ())]


def test_hostile_document_is_stored_verbatim(session):
    rows = q.list_items(session, q.Filters(region="Trondheimsregionen"))
    assert any(HOSTILE_MARKER in r.text for r in rows)


def test_read_only_engine_refuses_writes(engine):
    with Session(engine) as s:
        with pytest.raises(DBAPIError):
            s.execute(text("DELETE FROM items"))
            s.commit()
    with Session(engine) as s:
        assert q.count_items(s, q.Filters()) == 14


def test_read_only_engine_needs_an_existing_database(tmp_path):
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(q.QueryError, match="no database"):
        q.read_only_engine(f"sqlite:///{missing}")
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite"
    import sqlite3

    sqlite3.connect(empty).close()
    engine = q.read_only_engine(f"sqlite:///{empty}")
    with pytest.raises(q.QueryError, match="no minutes tables"):
        q.check_schema(engine)
    engine.dispose()


def test_sqlite_file_unchanged_by_queries(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    populate(url)
    forget_engine(url)
    path = Path(tmp_path / "store.sqlite")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    engine = q.read_only_engine(url)
    with Session(engine) as s:
        q.list_items(s, q.Filters(text="x"), sort="deadline")
        q.compare(s, "municipality", [], "quarter")
        q.stats(s)
    engine.dispose()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
