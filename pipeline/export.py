"""Exports of query results (pipeline.query): CSV, XLSX, JSON and iCalendar.

Every format gets the same columns (`COLUMNS`). Spreadsheet safety: in CSV a cell that starts
with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so that a spreadsheet
does not run it as a formula; in XLSX every text cell is written as text, never as a formula.

ICS: one all-day event per action with a resolved deadline date. A deadline known to the month
only (`YYYY-MM`) becomes an all-day event on the first day of that month, its summary marked
"(during YYYY-MM)" and its description saying so; actions without a resolved date are left out.
Event UIDs are stable (document id + item position), so a re-import updates instead of duplicating.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime, timezone
from typing import Any

from .query import CompareRow, ItemRow

FORMATS = ("table", "csv", "xlsx", "json", "ics")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "ics": "text/calendar; charset=utf-8",
}

#: (column name, getter) of item exports
COLUMNS: list[tuple[str, Any]] = [
    ("type", lambda r: r.type),
    ("text", lambda r: r.text),
    ("responsible", lambda r: "; ".join(r.responsible)),
    ("deadline", lambda r: r.deadline_text or ""),
    ("deadline_date", lambda r: r.deadline_date or ""),
    ("topics", lambda r: "; ".join(r.topics)),
    ("meeting_date", lambda r: r.meeting_date or ""),
    ("body", lambda r: r.body or ""),
    ("title", lambda r: r.title or ""),
    ("agenda_item", lambda r: " ".join(x for x in (r.agenda_item, r.agenda_title) if x)),
    ("country", lambda r: r.country or ""),
    ("county", lambda r: r.county or ""),
    ("region", lambda r: r.region or ""),
    ("municipalities", lambda r: "; ".join(r.municipalities)),
    ("language", lambda r: r.language or ""),
    ("confidence", lambda r: round(r.confidence, 4)),
    ("document_id", lambda r: r.document_id),
    ("item_id", lambda r: r.id),
]
COLUMN_NAMES = [name for name, _ in COLUMNS]
COMPARE_COLUMNS = ["group", "period", "topic", "documents", "decisions", "actions", "total_documents",
                   "documents_share", "decisions_per_document", "actions_per_document"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def records(rows: Sequence[ItemRow]) -> list[dict[str, Any]]:
    """Flat records (one dict per item, keys COLUMN_NAMES)."""
    return [{name: get(r) for name, get in COLUMNS} for r in rows]


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: Sequence[str], table: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in table:
        writer.writerow([_safe_cell(v) for v in row])
    return buffer.getvalue()


def to_csv(rows: Sequence[ItemRow]) -> str:
    return _csv(COLUMN_NAMES, [list(r.values()) for r in records(rows)])


def to_json(rows: Sequence[ItemRow]) -> str:
    """A JSON array of the full items (lists kept as lists)."""
    return json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1)


def _xlsx(sheet_title: str, header: Sequence[str], table: Sequence[Sequence[Any]], widths: dict[int, int]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, row in enumerate(table, start=2):
        for k, value in enumerate(row, start=1):
            cell = sheet.cell(row=n, column=k, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    if table:
        sheet.auto_filter.ref = sheet.dimensions
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column + 1)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(rows: Sequence[ItemRow], sheet_title: str = "items") -> bytes:
    widths = {COLUMN_NAMES.index("text"): 80, COLUMN_NAMES.index("responsible"): 24, COLUMN_NAMES.index("title"): 40}
    return _xlsx(sheet_title, COLUMN_NAMES, [list(r.values()) for r in records(rows)], widths)


def ics_date(value: str | None) -> tuple[date, bool] | None:
    """(the day of an event, whether only the month is known) for a deadline date, else None."""
    if not value:
        return None
    try:
        if len(value) == 7:
            return date.fromisoformat(value + "-01"), True
        return date.fromisoformat(value), False
    except ValueError:
        return None


def to_ics(rows: Sequence[ItemRow], name: str = "minutes: actions", now: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per action with a resolved deadline."""
    from datetime import timedelta

    from icalendar import Calendar, Event

    stamp = now or datetime.now(timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", "-//minutes//actions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for r in rows:
        if r.type != "action":
            continue
        when = ics_date(r.deadline_date)
        if when is None:
            continue
        day, month_only = when
        who = ", ".join(r.responsible)
        summary = f"{who}: {r.text}" if who else r.text
        if len(summary) > 140:
            summary = summary[:139] + "…"
        if month_only:
            summary = f"(during {r.deadline_date}) {summary}"
        event = Event()
        event.add("uid", f"{r.document_id[:32]}-{r.position}@minutes")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        lines = [r.text, "", f"Deadline: {r.deadline_text or ''} ({r.deadline_date}"
                 + (", month only: due during the month)" if month_only else ")")]
        if who:
            lines.append(f"Responsible: {who}")
        lines.append(f"Meeting: {' – '.join(x for x in (r.body, r.meeting_date) if x)}")
        if r.title:
            lines.append(f"Document: {r.title}")
        if r.agenda_item or r.agenda_title:
            lines.append(f"Agenda item: {' '.join(x for x in (r.agenda_item, r.agenda_title) if x)}")
        if r.topics:
            lines.append(f"Topics: {', '.join(r.topics)}")
            event.add("categories", list(r.topics))
        event.add("description", "\n".join(lines))
        place = r.region or r.county or ", ".join(r.municipalities)
        if place:
            event.add("location", place)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def export_items(rows: Sequence[ItemRow], fmt: str, name: str = "items") -> bytes:
    """The rows in `fmt` (csv, xlsx, json, ics) as bytes."""
    if fmt == "csv":
        return to_csv(rows).encode("utf-8")
    if fmt == "json":
        return to_json(rows).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(rows, sheet_title=name[:31])
    if fmt == "ics":
        return to_ics(rows, name=f"minutes: {name}")
    raise ValueError(f"unknown export format {fmt!r} (one of csv, xlsx, json, ics)")


# --- comparisons --------------------------------------------------------------------------------

def compare_records(rows: Sequence[CompareRow]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in rows]


def export_compare(rows: Sequence[CompareRow], fmt: str) -> bytes:
    data = compare_records(rows)
    if fmt == "csv":
        return _csv(COMPARE_COLUMNS, [[d[c] for c in COMPARE_COLUMNS] for d in data]).encode("utf-8")
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx("comparison", COMPARE_COLUMNS, [[d[c] for c in COMPARE_COLUMNS] for d in data], {0: 28, 2: 28})
    raise ValueError(f"unknown comparison format {fmt!r} (one of csv, xlsx, json)")
