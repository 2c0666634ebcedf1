"""The web page in real headless Chromium (Debian's /usr/bin/chromium, installed by
scripts/chromium.sh; driven by Playwright for Python, never `playwright install`).

The app is served by uvicorn in a thread on 127.0.0.1 and a free port, on a store of hand-built
extractions. Screenshots go to test-artifacts/browser/ (MINUTES_TEST_ARTIFACTS overrides).
"""
from __future__ import annotations

import csv
import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is absent: run `bash scripts/chromium.sh` (CI does) for the browser tests",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (dev extra)")

import uvicorn  # noqa: E402

from pipeline.store.testing import forget_engine  # noqa: E402
from pipeline.web.app import create_app  # noqa: E402
from pipeline.web.sample import HOSTILE_MARKER, populate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("MINUTES_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "minutes.sqlite"
    url = f"sqlite:///{path}"
    populate(url)
    forget_engine(url)
    app = create_app(url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.dialogs = []  # any alert() would be a script that ran
    page.errors = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


def listed(page) -> list[str]:
    return [text.split()[0] for text in page.locator("#items a.item-link").all_inner_texts()]


def test_filter_actions_by_region_and_topic(page, base_url):
    page.goto(f"{base_url}/actions")
    assert len(listed(page)) == 7
    page.select_option("#f-region", "Gauldalsregionen")
    page.select_option("#f-topic", "learning_environment")
    page.click("#apply")
    page.wait_for_url("**region=Gauldalsregionen**")
    assert listed(page) == ["Rektorene"]
    assert page.locator("#result-count").inner_text().startswith("1 action")
    assert "topic=learning_environment" in page.url and "body=" not in page.url  # empty fields dropped by app.js
    shot(page, "actions-filtered")
    # sort by meeting date (descending) through the column header, keeping the filters
    page.select_option("#f-topic", "")
    page.click("#apply")
    page.wait_for_load_state()
    assert listed(page) == ["Statsforvalteren", "Rektorene", "Prosjektgruppa", "Kommunalsjefen"]
    page.click("th >> text=Meeting")
    page.click("th >> text=Meeting")
    page.wait_for_url("**desc=**")
    assert listed(page)[0] == "Kommunalsjefen"
    assert not page.errors


def test_open_document_from_action_and_see_highlight(page, base_url):
    page.goto(f"{base_url}/actions?region=Gauldalsregionen")
    page.click("a.item-link >> text=Rektorene skal oppdatere")
    page.wait_for_url("**/documents/**")
    mark = page.locator("#doc-text mark.focus")
    assert mark.count() == 1
    mark.first.wait_for(state="visible")
    assert mark.first.inner_text() == "Rektorene skal oppdatere planene for aktivitetsplikt innen utgangen av juni."
    # the highlight is really painted: an orange outline and a coloured background
    style = mark.first.evaluate("e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).backgroundColor]")
    assert style[0] == "solid" and style[1] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#focus-agenda").inner_text().strip() == "3/2022 Læringsmiljø"
    assert page.locator("ol.agenda li.current").inner_text().strip() == "3/2022 Læringsmiljø"
    assert page.locator("#doc-text mark").count() == 5
    assert "Støren" in page.locator("section.meta").inner_text()
    shot(page, "document-highlight")
    assert not page.errors


def test_download_csv_and_check_rows(page, base_url, tmp_path):
    page.goto(f"{base_url}/actions?country=SE")
    with page.expect_download() as info:
        page.click("#export-csv")
    download = info.value
    assert download.suggested_filename == "minutes-actions.csv"
    target = tmp_path / "actions.csv"
    download.save_as(str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["responsible"] for r in rows] == ["Skolcheferna", "Anna"]
    assert rows[0]["deadline_date"] == "2021-05-14" and rows[0]["region"] == "Skaraborg"
    assert rows[1]["topics"] == "digitalisation; assessment_results"


def test_comparison_heat_map_and_trend_chart_render(page, base_url):
    page.goto(f"{base_url}/compare?by=region&period=year&metric=actions")
    chart = page.locator("#trend-chart")
    chart.wait_for(state="visible")
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    assert page.locator("#trend-chart polyline").count() == 3
    assert page.locator("#trend-chart circle").count() >= 4
    stroke = page.locator("#trend-chart polyline").first.evaluate("e => getComputedStyle(e).stroke")
    assert stroke not in ("none", "")  # the stylesheet coloured it
    cells = page.locator("#heatmap td")
    assert cells.count() == 3 * 8  # regions × topics present
    dark = page.locator("#heatmap td.h9").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert dark == "rgb(18, 66, 122)"
    shot(page, "compare")
    # a heat-map cell opens the matching actions
    page.click("#heatmap a[href*='region=Skaraborg'][href*='topic=newcomers_language']")
    page.wait_for_url("**/actions?**")
    assert listed(page) == ["Skolcheferna"]
    assert not page.errors


def test_hostile_document_is_inert_in_the_browser(page, base_url):
    page.goto(f"{base_url}/actions?region=Trondheimsregionen")
    page.click("a.item-link >> text=IT-avdelingen")
    page.wait_for_url("**/documents/**")
    text = page.locator("#doc-text").inner_text()
    assert HOSTILE_MARKER in text  # shown as text …
    assert page.locator("#doc-text script, #doc-text b, section.meta script").count() == 0  # … never as markup
    assert page.dialogs == []
    assert page.evaluate("document.scripts.length") == 1
    shot(page, "hostile-document")
