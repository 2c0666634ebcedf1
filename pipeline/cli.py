"""The `minutes` command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import __version__
from .ingest import IngestError, discover

app = typer.Typer(
    help="Turn Norwegian and Swedish school-sector minutes into data: decisions, actions, "
    "responsible actors, deadlines, topics and meeting metadata.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


@app.callback()
def main(version: bool = typer.Option(False, "--version", help="Show the version and exit.")) -> None:
    if version:
        typer.echo(f"minutes {__version__}")
        raise typer.Exit()


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, folders (searched recursively) or globs: .txt .md .docx .pdf .odt .pptx .html"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write JSON Lines here instead of standard output."),
) -> None:
    """Extract each document into one JSON object per line (the contract of ANNOTATION.md).

    A file that cannot be read is reported on standard error with its name and the problem;
    the other files are still processed, and the exit status is 1.
    """
    from .extract import extract_file

    files = list(discover(paths))
    if not files:
        err.print(f"[red]error:[/red] no documents found in {' '.join(paths)}")
        raise typer.Exit(2)
    failures = 0
    sink = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=err, disable=len(files) < 2 or not err.is_terminal) as progress:
            task = progress.add_task("extracting", total=len(files))
            for path in files:
                try:
                    record = extract_file(path)
                except IngestError as exc:
                    failures += 1
                    err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
                except Exception as exc:  # one document's failure must not stop the batch
                    failures += 1
                    err.print(f"[red]error:[/red] {path}: extraction failed ({type(exc).__name__}: {exc})", highlight=False, soft_wrap=True)
                else:
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                progress.advance(task)
    finally:
        if output:
            sink.close()
    if output:
        err.print(f"{len(files) - failures} of {len(files)} documents written to {output}")
    if failures:
        raise typer.Exit(1)


def _register_evaluate() -> None:
    from evaluation.command import evaluate

    app.command("evaluate")(evaluate)


_register_evaluate()


# --- storage and nightly ingestion (pipeline/store, flows/) ----------------------------------

_DB_HELP = "Database URL (default: MINUTES_DATABASE_URL, else sqlite:///var/minutes.sqlite)."


def _print_run(summary: dict, what: str) -> None:
    err.print(f"{summary['seen']} files seen, {summary['unchanged']} unchanged, "
              f"{summary['stored']} documents {what}, {len(summary['errors'])} errors (run {summary['run_id']})")
    for uri, stage, message in summary["errors"]:
        err.print(f"[red]error[/red] ({stage}) {uri}: {message}", highlight=False, soft_wrap=True)


def _quiet_prefect(quiet: bool) -> None:
    import os

    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (searched recursively) or globs."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only warnings and errors from Prefect."),
) -> None:
    """Store new and changed documents in the database: the nightly flow, run once here.

    Runs the Prefect flow `nightly-ingest` in ephemeral mode (no server to set up). Unchanged
    files are skipped on their hash; a file that cannot be read is recorded in the errors table
    and reported, the others are stored, and the exit status is 1.
    """
    _quiet_prefect(quiet)
    from flows.nightly import nightly_ingest

    summary = nightly_ingest(sources=list(paths), db=db)
    _print_run(summary, "stored")
    if summary["errors"]:
        raise typer.Exit(1)


@app.command()
def reprocess(
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    everything: bool = typer.Option(False, "--all", help="Redo every document, not only those of other versions."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only warnings and errors from Prefect."),
) -> None:
    """Re-extract stored documents made by another pipeline or model version, from their files."""
    _quiet_prefect(quiet)
    from flows.nightly import reprocess as reprocess_flow

    summary = reprocess_flow(db=db, everything=everything)
    _print_run(summary, "reprocessed")
    if summary["errors"]:
        raise typer.Exit(1)


@app.command()
def migrate(
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    revision: str = typer.Option("head", help="Target revision: 'head', a revision id, or '-1' to go one step down."),
) -> None:
    """Create or upgrade the database schema (Alembic); `ingest` does this by itself."""
    from .store.db import make_engine, redacted
    from .store.migrate import current_revision, downgrade, upgrade

    engine = make_engine(db)
    try:
        (downgrade if revision.startswith("-") else upgrade)(engine, revision)
        err.print(f"{redacted(str(engine.url))}: schema at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@app.command()
def schedule(
    paths: list[str] = typer.Argument(None, help="Files, folders or globs (default: MINUTES_SOURCES)."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    cron: str = typer.Option("0 2 * * *", help="When to run, as a cron expression."),
    timezone: str = typer.Option("Europe/Oslo", help="Time zone of the cron expression."),
    name: str = typer.Option("nightly", help="Deployment name."),
) -> None:
    """Serve the nightly ingestion on its cron schedule from a Prefect server (PREFECT_API_URL).

    Registers the deployment `nightly-ingest/nightly` and runs its flow runs in this process
    until stopped; start a server first with `prefect server start`.
    """
    from flows.nightly import configured_sources, serve

    sources = configured_sources(paths)
    if not sources:
        err.print("[red]error:[/red] no sources: pass paths or set MINUTES_SOURCES")
        raise typer.Exit(2)
    serve(sources, db, cron, timezone, name)


# --- for analysts: query, export, compare, serve (pipeline/query.py, pipeline/export.py, pipeline/web/) ---

from .query import TOPICS as _TOPICS  # noqa: E402 - the analysts' section is appended here

_TOPIC_HELP = "Topic id (repeat for any of several): " + ", ".join(_TOPICS) + "."
_FORMAT_HELP = ("Output: table (readable, the default), csv, xlsx, json, or ics (actions with a resolved "
                "deadline as all-day events; a month-only deadline YYYY-MM lands on the 1st of the month).")


def _open_store(db: Optional[str]):
    """A read-only engine on the store, or a clear error and exit status 2."""
    from .query import QueryError, check_schema, read_only_engine

    try:
        engine = read_only_engine(db)
        check_schema(engine)
    except QueryError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    return engine


def _emit(data: bytes | str, output: Optional[Path], binary: bool = False) -> None:
    if output is not None:
        output.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        err.print(f"written to {output}")
        return
    if binary:
        if sys.stdout.isatty():
            err.print("[red]error:[/red] xlsx is binary: write it to a file with -o FILE.xlsx")
            raise typer.Exit(2)
        sys.stdout.flush()
        sys.stdout.buffer.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        sys.stdout.flush()
        return
    sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)


def _short(value: Optional[str], width: int) -> str:
    value = value or ""
    return value if len(value) <= width else value[: width - 1] + "…"


def _items_table(rows, kind: str, total: int, width: int):
    """A Rich table of items; narrow terminals get the meeting, body and region in one column."""
    from rich.table import Table
    from rich.text import Text

    wide = width >= 140
    title = f"{len(rows)} of {total} {kind}s" if total != len(rows) else f"{total} {kind}s"
    table = Table(title=title, header_style="bold", title_justify="left", show_lines=True, width=None if wide else width)
    if kind == "action":
        table.add_column("Deadline", no_wrap=True, min_width=10)
        table.add_column("Responsible", max_width=24 if wide else 14, overflow="fold")
    table.add_column("Action" if kind == "action" else "Decision", min_width=16)
    table.add_column("Topics", max_width=26 if wide else 14, overflow="fold")
    table.add_column("Meeting", max_width=30 if wide else 14, overflow="fold")
    if wide:
        table.add_column("Region / county", max_width=30)
        table.add_column("Doc", no_wrap=True, style="dim")
    for r in rows:
        cells = []
        if kind == "action":
            deadline = Text(r.deadline_date) if r.deadline_date else Text(_short(r.deadline_text, 22), style="italic")
            cells += [deadline, Text("\n".join(r.responsible))]
        where = " / ".join(x for x in (r.region, r.county) if x)
        meeting = "\n".join(x for x in (r.meeting_date, _short(r.body, 30), None if wide else where) if x)
        cells += [Text(r.text), Text("\n".join(r.topics)), Text(meeting)]
        if wide:
            cells += [Text(where), Text(r.document_id[:10])]
        table.add_row(*cells)
    return table


def _item_command(kind: str):
    def command(
        country: Optional[str] = typer.Option(None, help="NO or SE."),
        county: Optional[str] = typer.Option(None, help="Fylke or län, the whole name (e.g. Trøndelag)."),
        region: Optional[str] = typer.Option(None, help="Collaboration region, the whole name (e.g. Skaraborg)."),
        municipality: Optional[str] = typer.Option(None, help="A municipality of the meeting (whole name)."),
        body: Optional[str] = typer.Option(None, help="Meeting body or network: any part of its name."),
        topic: Optional[list[str]] = typer.Option(None, "--topic", "-t", help=_TOPIC_HELP),
        responsible: Optional[str] = typer.Option(None, "--responsible", "-r", help="Responsible actor: any part of the name."),
        language: Optional[str] = typer.Option(None, help="Document language: nb, nn, sv, da, en."),
        date_from: Optional[str] = typer.Option(None, "--from", help="Meetings on or after: YYYY, YYYY-MM or YYYY-MM-DD."),
        date_to: Optional[str] = typer.Option(None, "--to", help="Meetings on or before: YYYY, YYYY-MM or YYYY-MM-DD."),
        deadline_from: Optional[str] = typer.Option(None, help="Deadlines on or after (a YYYY-MM deadline counts as the 1st)."),
        deadline_to: Optional[str] = typer.Option(None, help="Deadlines on or before."),
        overdue: bool = typer.Option(False, "--overdue", help="Only deadlines that have passed (YYYY-MM: once the month is over)."),
        today: Optional[str] = typer.Option(None, help="The day --overdue counts from (default: today)."),
        text: Optional[str] = typer.Option(None, "--text", "-q", help="Free text in the item or the document title."),
        sort: str = typer.Option("deadline" if kind == "action" else "meeting_date",
                                 help="Sort by deadline, meeting_date, body, region, county, title, type or confidence."),
        desc: bool = typer.Option(False, "--desc", help="Sort descending."),
        limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most this many rows."),
        fmt: str = typer.Option("table", "--format", "-f", help=_FORMAT_HELP),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output."),
        db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
    ) -> None:
        from .export import FORMATS, export_items
        from .query import SORT_KEYS, Filters, count_items, list_items
        from sqlalchemy.orm import Session

        if fmt not in FORMATS:
            err.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}")
            raise typer.Exit(2)
        if sort not in SORT_KEYS:
            err.print(f"[red]error:[/red] --sort must be one of {', '.join(SORT_KEYS)}")
            raise typer.Exit(2)
        filters = Filters(country=country, county=county, region=region, municipality=municipality, body=body,
                          topics=list(topic or []), responsible=responsible, language=language, date_from=date_from,
                          date_to=date_to, deadline_from=deadline_from, deadline_to=deadline_to, overdue=overdue,
                          today=today, text=text)
        problems = filters.errors()
        if problems:
            for problem in problems:
                err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
        engine = _open_store(db)
        try:
            with Session(engine) as session:
                rows = list_items(session, filters, kind, sort=sort, descending=desc, limit=limit)
                total = count_items(session, filters, kind) if limit is not None else len(rows)
        finally:
            engine.dispose()
        if fmt == "table":
            console = Console(file=output.open("w", encoding="utf-8"), width=160) if output else Console()
            console.print(_items_table(rows, kind, total, console.width))
            if output:
                console.file.close()
            return
        _emit(export_items(rows, fmt, name=f"{kind}s"), output, binary=fmt == "xlsx")

    command.__doc__ = {
        "action": """Who must do what by when: actions with responsible actors and deadlines.

        Filters combine (all must hold); place names match whole names ignoring case, body,
        responsible and --text match any part. Examples:

          minutes actions --region Skaraborg --topic digitalisation

          minutes actions --overdue --county Trøndelag -f xlsx -o overdue.xlsx

          minutes actions --responsible rektor -f ics -o deadlines.ics
        """,
        "decision": """What was decided where: decisions with their meeting and topics.

        Same filters as `minutes actions`. Examples:

          minutes decisions --country SE --from 2023 --to 2023-06

          minutes decisions --topic finance --body Samarbeidsforum -f csv -o finance.csv
        """,
    }[kind]
    return command


app.command("actions")(_item_command("action"))
app.command("decisions")(_item_command("decision"))


@app.command()
def compare(
    by: str = typer.Option("region", "--by", help="Group by region, county or municipality."),
    topic: Optional[list[str]] = typer.Option(None, "--topic", "-t", help=_TOPIC_HELP + " Default: every topic."),
    period: str = typer.Option("year", "--period", help="Split by year, quarter, or all (no split)."),
    country: Optional[str] = typer.Option(None, help="NO or SE."),
    county: Optional[str] = typer.Option(None, help="Only this fylke/län."),
    region: Optional[str] = typer.Option(None, help="Only this region."),
    body: Optional[str] = typer.Option(None, help="Meeting body: any part of its name."),
    language: Optional[str] = typer.Option(None, help="Document language."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Meetings on or after (YYYY, YYYY-MM, YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Meetings on or before."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, xlsx or json."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """Which topics are active where: counts per group, period and topic.

    For each region (county, municipality), period and topic: documents whose document topics
    include it, decisions and actions tagged with it, and the same per document of the group and
    period (normalised, so that a busy region does not look active on everything). A document
    with several municipalities counts in each. Example:

      minutes compare --by county --topic digitalisation --topic finance --period quarter
    """
    from rich.table import Table
    from sqlalchemy.orm import Session

    from .export import export_compare
    from .query import GROUPINGS, PERIODS, TOPICS, Filters, QueryError, compare as compare_rows

    if by not in GROUPINGS or period not in PERIODS or fmt not in ("table", "csv", "xlsx", "json"):
        err.print(f"[red]error:[/red] --by: {', '.join(GROUPINGS)}; --period: {', '.join(PERIODS)}; "
                  "--format: table, csv, xlsx, json")
        raise typer.Exit(2)
    unknown = [t for t in topic or [] if t not in TOPICS]
    if unknown:
        err.print(f"[red]error:[/red] unknown topic {', '.join(unknown)} (one of {', '.join(TOPICS)})")
        raise typer.Exit(2)
    filters = Filters(country=country, county=county, region=region, body=body, language=language,
                      date_from=date_from, date_to=date_to)
    if filters.errors():
        for problem in filters.errors():
            err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    engine = _open_store(db)
    try:
        with Session(engine) as session:
            rows = compare_rows(session, by, list(topic or []), period, filters)
    except QueryError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    finally:
        engine.dispose()
    if fmt != "table":
        _emit(export_compare(rows, fmt), output, binary=fmt == "xlsx")
        return
    table = Table(title=f"Topics by {by}, per {period if period != 'all' else 'whole period'}: documents of the "
                  "group, documents on the topic, decisions and actions with it, and those per document",
                  header_style="bold", title_justify="left")
    for name, justify in ((by.capitalize(), "left"), ("Period", "left"), ("Topic", "left"), ("Docs", "right"),
                          ("On topic", "right"), ("Dec.", "right"), ("Act.", "right"),
                          ("Dec./doc", "right"), ("Act./doc", "right")):
        table.add_column(name, justify=justify, overflow="fold", no_wrap=name in (by.capitalize(), "Period"))
    previous = None
    for r in rows:
        first = (r.group, r.period) != previous
        previous = (r.group, r.period)
        table.add_row(r.group if first else "", r.period if first else "", r.topic, str(r.total_documents),
                      f"{r.documents} ({r.documents_share:.0%})", str(r.decisions), str(r.actions),
                      f"{r.decisions_per_document:.2f}", f"{r.actions_per_document:.2f}", end_section=False)
    console = Console(file=output.open("w", encoding="utf-8"), width=160) if output else Console()
    console.print(table if rows else "No documents match.")
    if output:
        console.file.close()


@app.command()
def show(
    document: str = typer.Argument(..., help="Document id, a unique prefix of it (6+ characters), or a source path."),
    text: bool = typer.Option(True, "--text/--no-text", help="Print the document text with its items highlighted."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """One document: its metadata, agenda, items, and its text with the items highlighted
    (decisions in green, actions in yellow, each marked with its number in the items table)."""
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from sqlalchemy.orm import Session

    from .query import find_document, get_document

    engine = _open_store(db)
    try:
        with Session(engine) as session:
            doc_id = find_document(session, document)
            view = get_document(session, doc_id) if doc_id else None
    finally:
        engine.dispose()
    if view is None:
        err.print(f"[red]error:[/red] no document {document!r} (give an id, a unique id prefix or a source path)",
                  highlight=False)
        raise typer.Exit(1)
    out = Console()
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    fields = [
        ("id", view.id), ("title", view.title), ("body", view.body), ("meeting date", view.meeting_date),
        ("next meeting", view.next_meeting_date), ("place", view.place), ("chair", view.chair),
        ("secretary", view.secretary), ("language", view.language),
        ("country / county / region", " / ".join(x or "–" for x in (view.country, view.county, view.region))),
        ("municipalities", ", ".join(view.municipalities)), ("topics", ", ".join(view.topics)),
        ("participants", "; ".join(n + (f" ({a})" if a else "") for n, a in view.participants)),
        ("sources", "\n".join(view.sources)), ("versions", f"pipeline {view.pipeline_version}, model {view.model_version}"),
    ]
    for name, value in fields:
        if value:
            meta.add_row(name, Text(str(value)))
    out.print(Panel(meta, title=Text(view.title or view.id[:12]), title_align="left"))
    if view.agenda_items:
        agenda = Table(title="Agenda", header_style="bold", title_justify="left")
        agenda.add_column("No.")
        agenda.add_column("Title")
        for a in view.agenda_items:
            agenda.add_row(Text(a["number"] or ""), Text(a["title"]))
        out.print(agenda)
    items = Table(title=f"{len(view.items)} items", header_style="bold", title_justify="left")
    for column in ("#", "Type", "Text", "Responsible", "Deadline", "Topics", "Agenda"):
        items.add_column(column)
    styles = {"decision": "black on green3", "action": "black on yellow"}
    for n, r in enumerate(view.items, start=1):
        deadline = " ".join(x for x in (r.deadline_text, f"({r.deadline_date})" if r.deadline_date else None) if x)
        items.add_row(str(n), Text(r.type, style=styles.get(r.type, "")), Text(r.text), Text(", ".join(r.responsible)),
                      Text(deadline), Text(", ".join(r.topics)), Text(r.agenda_item or ""))
    out.print(items)
    if text:
        body = Text(view.text)
        for n, r in enumerate(view.items, start=1):
            if 0 <= r.start < r.end <= len(view.text):
                body.stylize(styles.get(r.type, "reverse"), r.start, r.end)
        # the item numbers, as markers after each item (inserted from the end, offsets stay valid)
        for n, r in sorted(enumerate(view.items, start=1), key=lambda x: -x[1].end):
            if 0 <= r.start < r.end <= len(view.text):
                body = body[: r.end] + Text(f" [{n}]", style="bold") + body[r.end:]
        out.print(Panel(body, title="Text", title_align="left"))


@app.command()
def stats(
    today: Optional[str] = typer.Option(None, help="The day overdue counts from (default: today)."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """What the store holds: documents, decisions, actions (with deadlines, overdue), meeting
    dates, and counts by country, language, county, region and topic."""
    from rich.columns import Columns
    from rich.table import Table
    from sqlalchemy.orm import Session

    from .query import stats as store_stats

    engine = _open_store(db)
    try:
        with Session(engine) as session:
            data = store_stats(session, today=today)
    finally:
        engine.dispose()
    out = Console()
    summary = Table(title="Store", header_style="bold", title_justify="left", show_header=False)
    summary.add_column()
    summary.add_column(justify="right")
    for label, key in (("documents", "documents"), ("sources (files)", "sources"), ("decisions", "decisions"),
                       ("actions", "actions"), ("actions with a dated deadline", "actions_with_deadline"),
                       (f"overdue actions (as of {data['today']})", "overdue_actions")):
        summary.add_row(label, str(data[key]))
    summary.add_row("meetings", f"{data['first_meeting'] or '–'} … {data['last_meeting'] or '–'}")
    out.print(summary)
    tables = []
    for title, key, head in (("Countries", "by_country", "documents"), ("Languages", "by_language", "documents"),
                             ("Counties", "by_county", "documents"), ("Regions", "by_region", "documents"),
                             ("Topics", "items_by_topic", "items")):
        table = Table(title=title, header_style="bold", title_justify="left")
        table.add_column(title[:-1] if not title.endswith("ies") else title[:-3] + "y")
        table.add_column(head, justify="right")
        for name, n in data[key]:
            table.add_row(str(name), str(n))
        tables.append(table)
    out.print(Columns(tables))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (127.0.0.1: this machine only)."),
    port: int = typer.Option(8000, help="Port."),
    db: Optional[str] = typer.Option(None, "--db", help=_DB_HELP),
) -> None:
    """The analysts' web page (read-only): actions and decisions with filters and exports,
    documents with their items highlighted, and the region/topic comparison."""
    import uvicorn

    from .query import QueryError
    from .web.app import create_app

    try:
        application = create_app(db)
    except QueryError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    err.print(f"minutes web page on http://{host}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(application, host=host, port=port, log_level="warning")
