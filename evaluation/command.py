"""`minutes evaluate`: run the extractor (or read predictions) on a gold set and score it.

Register in pipeline/cli.py with `app.command("evaluate")(evaluate)`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from evaluation.scorer import GROUP_KEYS, TYPES, CorpusScore, actor_names, group
from evaluation.summary import Run, attribute_rows, fmt, item_rows, run


def _table(title: str, header: list[str], rows: list[list[str]]) -> Table:
    table = Table(title=title, title_justify="left")
    for i, h in enumerate(header):
        table.add_column(h, justify="left" if i == 0 else "right")
    for r in rows:
        table.add_row(*r)
    return table


def print_run(result: Run, by: Optional[str] = None, errors: bool = False,
              console: Optional[Console] = None) -> None:
    """Print the score tables of one run (and grouped scores / errors when asked)."""
    console = console or Console()
    s = result.score
    console.print(_table(f"{result.name}: items ({s.n_docs} documents)",
                         ["type", "P", "R", "F1", "TP", "FP", "FN"], item_rows(s)))
    console.print(_table(f"{result.name}: attributes and document fields", ["measure", "value", "n"],
                         attribute_rows(s)))
    if by:
        rows = []
        for key, sub in group(s, by).items():
            rows.append([key, str(sub.n_docs)] + [fmt(getattr(sub.items[t], m)) for t in TYPES
                                                  for m in ("precision", "recall", "f1")])
        console.print(_table(f"{result.name}: by {by}", [by, "docs"] + [f"{t[:3]}. {m}" for t in TYPES
                                                                      for m in ("P", "R", "F1")], rows))
    if errors:
        print_errors(s, console)
    for doc_id, msg in result.failures.items():
        console.print(f"[yellow]warning[/yellow] {escape(doc_id)}: {escape(msg)} (scored as an empty prediction)")


def print_errors(score: CorpusScore, console: Console) -> None:
    """False negatives and false positives with their text, per document, then matched
    actions whose responsible actors or deadline are wrong."""
    for d, actions in zip(score.docs, _attribute_errors(score)):
        if not (d.false_positives or d.false_negatives or actions):
            continue
        console.print(f"[bold]{escape(d.doc_id)}[/bold] ({escape(d.language)})")
        for item in d.false_negatives:
            console.print(f"  [red]FN[/red] {item['type']:8} {escape(_one_line(item.get('text')))}", soft_wrap=True)
        for item in d.false_positives:
            console.print(f"  [magenta]FP[/magenta] {item['type']:8} {escape(_one_line(item.get('text')))}",
                          soft_wrap=True)
        for line in actions:
            console.print(f"  [yellow]~[/yellow]  action   {escape(line)}", soft_wrap=True)


def _attribute_errors(score: CorpusScore) -> list[list[str]]:
    """Per document: one line per matched action with a wrong responsible set or deadline."""
    out = []
    for d in score.docs:
        lines = []
        pairs = [x for x in d.pairs if x.type == "action"]
        for pair, resp, dl in zip(pairs, d.responsible_f1, d.deadline_ok):
            problems = []
            if resp < 1.0:
                problems.append(f"responsible gold {actor_names(pair.gold.get('responsible'))} "
                                f"pred {actor_names(pair.pred.get('responsible'))}")
            if not dl:
                problems.append(f"deadline gold {_dl(pair.gold.get('deadline'))} pred {_dl(pair.pred.get('deadline'))}")
            if problems:
                lines.append(f"{_one_line(pair.gold.get('text'), 80)} — " + "; ".join(problems))
        out.append(lines)
    return out


def _dl(d: Optional[dict]) -> str:
    return "none" if not d else f"{d.get('text')!r} = {d.get('date')}"


def _one_line(text: Optional[str], width: int = 160) -> str:
    s = " ".join((text or "").split())
    return s if len(s) <= width else s[: width - 1] + "…"


def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold JSON files.")],
    docs: Annotated[Path, typer.Option("--docs", help="Folder of the documents the gold files name.")],
    pred: Annotated[Optional[Path], typer.Option("--pred", help="Predictions (JSON Lines of `minutes extract` output) instead of running an extractor.")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Also score by language, body or document.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List false positives and negatives with their text.")] = False,
    extractor: Annotated[str, typer.Option("--extractor", help="model (pipeline.extract) or baseline (keyword floor).")] = "model",
) -> None:
    """Score extraction against gold labels (ANNOTATION.md, "Scoring")."""
    if by is not None and by not in GROUP_KEYS:
        raise typer.BadParameter(f"--by must be one of {', '.join(GROUP_KEYS)}")
    if extractor not in ("model", "baseline"):
        raise typer.BadParameter("--extractor must be model or baseline")
    try:
        result = run(extractor, gold, docs, pred_file=pred)
    except ImportError as exc:
        Console(stderr=True).print(f"[red]cannot load the {extractor} extractor:[/red] {exc}")
        raise typer.Exit(1) from exc
    if pred:
        result.name = f"predictions {pred.name}"
    print_run(result, by, errors)


if __name__ == "__main__":
    typer.run(evaluate)
