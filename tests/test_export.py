"""pipeline/export.py: CSV, XLSX (openpyxl), JSON and ICS (icalendar) of hand-built rows."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from pipeline.export import COLUMN_NAMES, export_compare, export_items, ics_date, records, to_csv, to_ics
from pipeline.query import CompareRow, ItemRow


def row(n: int, **changes) -> ItemRow:
    values = dict(
        id=n, type="action", text=f"Rektorene skal levere plan {n}.", responsible=["Rektorene", "Kari"],
        deadline_text="innen 1. mars", deadline_date="2022-03-01", topics=["finance", "curriculum"], confidence=0.91,
        agenda_item="3/2022", agenda_title="Økonomi", document_id="ab" * 32, position=n, title="Referat",
        body="Samarbeidsforum", meeting_date="2022-01-19", country="NO", county="Trøndelag", region="Gauldalsregionen",
        municipalities=["Midtre Gauldal", "Holtålen"], language="nb", start=0, end=10,
    )
    values.update(changes)
    return ItemRow(**values)


ROWS = [
    row(1),
    row(2, deadline_text="i oktober", deadline_date="2022-10"),
    row(3, deadline_text="før vinterferien", deadline_date=None),
    row(4, deadline_text=None, deadline_date=None, responsible=[]),
    row(5, type="decision", text="=HYPERLINK(\"http://evil\")", deadline_text=None, deadline_date=None),
]


def test_records_flatten_lists():
    first = records(ROWS)[0]
    assert list(first) == COLUMN_NAMES
    assert first["responsible"] == "Rektorene; Kari"
    assert first["municipalities"] == "Midtre Gauldal; Holtålen"
    assert first["agenda_item"] == "3/2022 Økonomi"


def test_csv_rows_and_formula_guard():
    table = list(csv.DictReader(io.StringIO(to_csv(ROWS))))
    assert len(table) == 5
    assert table[0]["text"] == "Rektorene skal levere plan 1." and table[0]["deadline_date"] == "2022-03-01"
    assert table[1]["deadline_date"] == "2022-10"
    assert table[2]["deadline"] == "før vinterferien" and table[2]["deadline_date"] == ""
    assert table[4]["text"] == "'=HYPERLINK(\"http://evil\")"  # not a formula in a spreadsheet


def test_xlsx_opens_with_openpyxl_and_has_no_formulas():
    workbook = load_workbook(io.BytesIO(export_items(ROWS, "xlsx", name="actions")))
    sheet = workbook["actions"]
    values = list(sheet.values)
    assert list(values[0]) == COLUMN_NAMES
    assert len(values) == 6
    assert values[1][COLUMN_NAMES.index("region")] == "Gauldalsregionen"
    cell = sheet.cell(row=6, column=COLUMN_NAMES.index("text") + 1)
    assert cell.value == "=HYPERLINK(\"http://evil\")" and cell.data_type == "s"


def test_json_keeps_lists():
    data = json.loads(export_items(ROWS, "json"))
    assert len(data) == 5
    assert data[0]["responsible"] == ["Rektorene", "Kari"] and data[0]["topics"] == ["finance", "curriculum"]


def test_ics_one_event_per_dated_action():
    calendar = Calendar.from_ical(to_ics(ROWS))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2  # undated actions and the decision are left out
    day, month = events
    assert day.decoded("dtstart") == date(2022, 3, 1)
    assert day.decoded("dtend") == date(2022, 3, 2)
    assert str(day["summary"]).startswith("Rektorene, Kari: Rektorene skal levere plan 1.")
    assert "innen 1. mars" in str(day["description"])
    assert str(day["uid"]) == f"{'ab' * 16}-1@minutes"
    # month only: an all-day event on the 1st, marked as such
    assert month.decoded("dtstart") == date(2022, 10, 1)
    assert str(month["summary"]).startswith("(during 2022-10)")
    assert "month only" in str(month["description"])
    assert str(month["location"]) == "Gauldalsregionen"


def test_ics_date():
    assert ics_date("2022-03-01") == (date(2022, 3, 1), False)
    assert ics_date("2022-10") == (date(2022, 10, 1), True)
    assert ics_date(None) is None and ics_date("2022-13") is None and ics_date("soon") is None


def test_unknown_format():
    with pytest.raises(ValueError):
        export_items(ROWS, "pdf")


def test_compare_exports():
    rows = [CompareRow("Skaraborg", "2021", "finance", 1, 2, 3, 4), CompareRow("=cmd", "2022", "finance", 0, 0, 0, 0)]
    table = list(csv.DictReader(io.StringIO(export_compare(rows, "csv").decode())))
    assert table[0]["group"] == "Skaraborg" and table[0]["actions_per_document"] == "0.75"
    assert table[1]["group"] == "'=cmd"
    assert json.loads(export_compare(rows, "json"))[0]["decisions"] == 2
    sheet = load_workbook(io.BytesIO(export_compare(rows, "xlsx"))).active
    assert sheet.cell(row=2, column=1).value == "Skaraborg"
