"""The web page (pipeline/web) through FastAPI's TestClient: pages, filters, sorting, exports,
and security: hostile text shown inert, injection attempts give normal empty results, nothing
writes (non-GET methods rejected, the database file unchanged)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import warnings
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from pipeline.store.testing import backend_params, forget_engine, temporary_database
from pipeline.web.app import create_app
from pipeline.web.sample import HOSTILE_MARKER, populate


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "minutes.sqlite"
    populate(f"sqlite:///{path}")
    forget_engine(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="module")
def client(db_path):
    app = create_app(f"sqlite:///{db_path}")
    with TestClient(app) as c:
        yield c
    app.state.engine.dispose()


def rows_of(html: str) -> list[str]:
    """The first words of the items listed on an item page."""
    return [re.sub(r"<[^>]+>", "", m).split()[0]
            for m in re.findall(r'<a class="item-link" href="[^"]*">(.*?)</a>', html, re.S)]


def result_count(html: str) -> int:
    return int(re.search(r'id="result-count"><strong>(\d+)</strong>', html).group(1))


def test_root_redirects_to_actions(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == "/actions"


def test_action_list(client):
    response = client.get("/actions")
    assert response.status_code == 200
    assert rows_of(response.text) == ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene",
                                      "Prosjektgruppa", "Kommunalsjefen", "Anna"]
    assert result_count(response.text) == 7


@pytest.mark.parametrize("query, expected", [
    ("region=Skaraborg&topic=digitalisation", ["Anna"]),
    ("country=SE", ["Skolcheferna", "Anna"]),
    ("county=Tr%C3%B8ndelag&topic=privacy_data_protection", ["IT-avdelingen", "Kommunalsjefen"]),
    ("municipality=Holt%C3%A5len&responsible=rekt", ["Rektorene"]),
    ("body=Samarbeid&from=2023", ["Kommunalsjefen"]),
    ("language=sv&to=2021-12-31", ["Skolcheferna", "Anna"]),
    ("deadline_from=2022-06&deadline_to=2022-10", ["Rektorene", "Prosjektgruppa"]),
    ("overdue=1&today=2022-10-15", ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene"]),
    ("q=personvern", ["Kommunalsjefen"]),
    ("topic=finance&topic=newcomers_language", ["Skolcheferna", "Prosjektgruppa"]),
    ("sort=meeting_date&desc=1", ["Kommunalsjefen", "IT-avdelingen", "Statsforvalteren", "Rektorene",
                                  "Prosjektgruppa", "Skolcheferna", "Anna"]),
    ("region=&county=&topic=", ["Skolcheferna", "Statsforvalteren", "IT-avdelingen", "Rektorene", "Prosjektgruppa",
                                "Kommunalsjefen", "Anna"]),
])
def test_filters_and_sorting(client, query, expected):
    response = client.get(f"/actions?{query}")
    assert response.status_code == 200
    assert rows_of(response.text) == expected


def test_decisions_page(client):
    response = client.get("/decisions?region=Skaraborg")
    assert rows_of(response.text) == ["Protokollet", "Beslut:"]


def test_paging(client):
    first = client.get("/actions?size=3").text
    assert "page 1 of 3" in first and rows_of(first) == ["Skolcheferna", "Statsforvalteren", "IT-avdelingen"]
    last = client.get("/actions?size=3&page=3").text
    assert rows_of(last) == ["Anna"]
    assert client.get("/actions?size=abc&page=-4").status_code == 200


def test_sort_links_keep_filters(client):
    html = client.get("/actions?region=Skaraborg").text
    assert 'href="?region=Skaraborg&amp;sort=meeting_date"' in html


def test_csv_export_matches_filters(client):
    response = client.get("/export/actions.csv?region=Gauldalsregionen&topic=finance")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["responsible"] for r in table] == ["Prosjektgruppa"]
    assert table[0]["deadline_date"] == "2022-10" and table[0]["topics"] == "finance; digitalisation"


def test_other_exports(client):
    sheet = load_workbook(io.BytesIO(client.get("/export/actions.xlsx?country=SE").content)).active
    assert len(list(sheet.values)) == 3
    data = json.loads(client.get("/export/decisions.json?region=Skaraborg").text)
    assert [d["text"].split()[0] for d in data] == ["Protokollet", "Beslut:"]
    events = list(Calendar.from_ical(client.get("/export/actions.ics").content).walk("VEVENT"))
    assert len(events) == 6
    compare = list(csv.DictReader(io.StringIO(client.get("/export/compare.csv?by=county&period=all").text)))
    assert {r["group"] for r in compare} == {"Trøndelag", "Västra Götalands län"}
    assert client.get("/export/actions.exe").status_code == 404
    assert client.get("/export/users.csv").status_code == 404


def test_document_view_highlights_the_item(client):
    html = client.get("/actions?responsible=Rektorene").text
    link = re.search(r'<a class="item-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    item_id = int(re.search(r"item=(\d+)", link).group(1))
    response = client.get(link.split("#")[0])
    assert response.status_code == 200
    page = response.text
    mark = re.search(r'<mark class="action focus" data-items="%d">(.*?)</mark>' % item_id, page, re.S)
    assert mark and mark.group(1) == "Rektorene skal oppdatere planene for aktivitetsplikt innen utgangen av juni."
    assert f'id="item-{item_id}"' in page
    assert re.search(r'id="focus-agenda">3/2022 Læringsmiljø', page)
    for text in ("Samarbeidsforum", "2022-01-19", "Støren", "Kari Nordmann", "Gauldalsregionen", "Midtre Gauldal",
                 "sample/gauldal-2022-01.txt"):
        assert text in page
    text = page[page.index('<pre id="doc-text">'):]
    assert text.count("<mark") == 5  # every item of the document is highlighted


def test_document_by_prefix_and_missing(client):
    html = client.get("/actions?region=Skaraborg").text
    doc = re.search(r"/documents/([0-9a-f]{64})", html).group(1)
    assert client.get(f"/documents/{doc[:12]}").status_code == 200
    assert client.get("/documents/0000000000").status_code == 404
    assert client.get("/documents/' OR 1=1 --").status_code == 404
    assert client.get("/documents/" + "a" * 500).status_code == 404


def test_compare_page(client):
    response = client.get("/compare?by=region&period=year&metric=actions")
    assert response.status_code == 200
    html = response.text
    assert 'id="heatmap"' in html and 'id="trend-chart"' in html
    assert html.count("<polyline") == 3  # one line per region
    assert "Gauldalsregionen" in html and "Skaraborg" in html
    # a heat-map cell links to the matching actions
    assert 'href="/actions?region=Skaraborg&amp;topic=newcomers_language"' in html
    html = client.get("/compare?by=municipality&period=quarter&topic=finance&metric=documents_share").text
    assert "Holtålen" in html and "2022-Q1" in html
    # unknown parameters fall back to the defaults
    assert client.get("/compare?by=planet&period=decade&metric=x").status_code == 200


def test_stats_page(client):
    html = client.get("/stats?today=2022-10-15").text
    assert re.search(r"Overdue actions \(as of 2022-10-15\)</th><td class=\"num\"><a [^>]+>4<", html)
    assert client.get("/stats?today=<script>").status_code == 200


# --- security ------------------------------------------------------------------------------------

def _only_own_script(html: str) -> None:
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert HOSTILE_MARKER not in html


def test_hostile_document_is_inert(client):
    html = client.get("/actions?region=Trondheimsregionen").text
    _only_own_script(html)
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    doc = re.search(r"/documents/([0-9a-f]{64})", html).group(1)
    page = client.get(f"/documents/{doc}").text
    _only_own_script(page)
    assert "&lt;b&gt;uten&lt;/b&gt;" in page and "<b>uten</b>" not in page
    assert "DROP TABLE items" in page  # shown as text
    for path in ("/decisions", "/compare?by=region", "/stats"):
        _only_own_script(client.get(path).text)


def test_reflected_parameters_are_escaped(client):
    payload = "\"><script>alert(1)</script>"
    for path in ("/actions?body=", "/actions?q=", "/actions?from=", "/compare?from="):
        html = client.get(path + payload).text
        assert "<script>alert(1)" not in html
    html = client.get("/actions?topic=" + payload).text
    assert "is not a topic id" in html and "<script>alert(1)" not in html


@pytest.mark.parametrize("query", [
    "region=' OR '1'='1", "county=x'; DROP TABLE items; --", "q=%25", "q=_", "body=' OR 1=1 --",
    "responsible=\\", "municipality=%25", "language=nb' OR 'x'='x", "from=2020' OR '1'='1",
    "topic=finance\" OR 1=1 --", "country=NO' OR 1=1--", "deadline_to=' OR 1=1", "sort=1; DROP TABLE items",
])
def test_injection_attempts_give_normal_empty_results(client, query):
    response = client.get(f"/actions?{query}")
    assert response.status_code == 200
    if query.startswith("sort="):  # an unknown sort key: the default order
        assert result_count(response.text) == 7
    else:
        assert result_count(response.text) == 0
        assert 'id="no-results"' in response.text
    assert client.get(f"/export/actions.csv?{query}").status_code == 200


def test_security_headers_and_no_remote_assets(client):
    response = client.get("/actions")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', response.text)
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/docs").status_code == 404 and client.get("/openapi.json").status_code == 404


def test_no_endpoint_writes(client, db_path):
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/actions", "/decisions", "/compare", "/documents/abc", "/export/actions.csv", "/stats",
                     "/anything"):
            response = client.request(method, path, data={"region": "x"})
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET, HEAD"
    for path in ("/actions", "/compare", "/stats", "/export/actions.xlsx"):
        client.get(path)
    assert client.head("/actions").status_code == 200
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert result_count(client.get("/actions").text) == 7


def test_missing_database_is_an_error(tmp_path):
    from pipeline.query import QueryError

    with pytest.raises(QueryError):
        create_app(f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert not (tmp_path / "none.sqlite").exists()


@pytest.mark.parametrize("backend", backend_params())
def test_pages_on_both_backends(backend, tmp_path):
    with temporary_database(backend, tmp_path) as url:
        populate(url)
        forget_engine(url)
        app = create_app(url)
        try:
            with TestClient(app) as c:
                assert rows_of(c.get("/actions?region=Skaraborg&topic=digitalisation").text) == ["Anna"]
                assert result_count(c.get("/actions?region=' OR '1'='1").text) == 0
                assert 'id="trend-chart"' in c.get("/compare?by=county").text
                doc = re.search(r"/documents/([0-9a-f]{64})", c.get("/actions").text).group(1)
                assert c.get(f"/documents/{doc}").status_code == 200
                assert c.post("/actions").status_code == 405
        finally:
            app.state.engine.dispose()


def test_bench_web_latency_runs_on_a_small_store():
    from evaluation.bench_web import web_latency

    lines = web_latency(count=40, requests=2)
    table = [line for line in lines if line.startswith("| sqlite |")]
    assert len(table) == 5
    assert all(float(line.split("|")[3]) > 0 for line in table)  # p50 ms
