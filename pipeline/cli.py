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
