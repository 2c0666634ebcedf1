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
