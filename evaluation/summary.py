"""Running an extractor over a gold set, and the rows every table (CLI and report) shows."""
from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from evaluation.data import doc_path, load_gold, load_predictions
from evaluation.scorer import TYPES, CorpusScore, score_corpus

Extractor = Callable[[Path], dict]


def get_extractor(name: str) -> Extractor:
    """"baseline" (the keyword floor) or "model" (pipeline.extract.extract_file)."""
    if name == "baseline":
        from evaluation.baseline import extract_file
        return extract_file
    if name == "model":
        return importlib.import_module("pipeline.extract").extract_file
    raise ValueError(f"unknown extractor {name!r} (baseline|model)")


@dataclass
class Run:
    """Predictions of one extractor on one gold set, and their score."""

    name: str
    gold: dict[str, dict]
    preds: dict[str, dict]
    score: CorpusScore
    failures: dict[str, str] = field(default_factory=dict)  # doc id -> error message
    seconds: Optional[float] = None  # extraction time over all documents (None for a file)


def predict(gold: dict[str, dict], docs: Path, extract: Extractor) -> tuple[dict[str, dict], dict[str, str]]:
    """Run `extract` on the document of every gold record; failures are recorded, not raised."""
    preds: dict[str, dict] = {}
    failures: dict[str, str] = {}
    for doc_id, g in gold.items():
        try:
            preds[doc_id] = extract(doc_path(g, docs))
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop an evaluation
            failures[doc_id] = f"{type(exc).__name__}: {exc}"
    return preds, failures


def run(name: str, gold_dir: Path, docs: Path, ids: Optional[list[str]] = None,
        pred_file: Optional[Path] = None, extract: Optional[Extractor] = None) -> Run:
    """Score predictions from `pred_file`, or from running `extract` (default: by `name`)."""
    gold = load_gold(gold_dir, ids)
    if pred_file is not None:
        preds = load_predictions(pred_file)
        failures = {i: "no prediction in file" for i in gold if i not in preds}
        return Run(name, gold, preds, score_corpus(gold, preds), failures)
    extract = extract or get_extractor(name)
    start = time.perf_counter()
    preds, failures = predict(gold, docs, extract)
    return Run(name, gold, preds, score_corpus(gold, preds), failures, time.perf_counter() - start)


def fmt(x: Optional[float]) -> str:
    return "–" if x is None else f"{x:.3f}"


def item_rows(score: CorpusScore) -> list[list[str]]:
    """Per type: type, P, R, F1, TP, FP, FN."""
    return [[t, fmt(p.precision), fmt(p.recall), fmt(p.f1), str(p.tp), str(p.fp), str(p.fn)]
            for t, p in score.items.items()]


def attribute_rows(score: CorpusScore) -> list[list[str]]:
    """Attribute and document-level measures with the number they are computed over."""
    s = score
    return [
        ["responsible set F1 (matched actions)", fmt(s.responsible_f1), str(s.n_matched_actions)],
        ["deadline accuracy (matched actions)", fmt(s.deadline_accuracy), str(s.n_matched_actions)],
        ["deadline accuracy (labelled deadlines)", fmt(s.deadline_labelled_accuracy), str(s.n_deadline_labelled)],
        ["language accuracy", fmt(s.language_accuracy), str(s.n_docs)],
        ["meeting date accuracy", fmt(s.date_accuracy), str(s.n_docs)],
        ["country accuracy", fmt(s.country_accuracy), str(s.n_docs)],
        ["county accuracy", fmt(s.county_accuracy), str(s.n_docs)],
        ["municipality set F1 (micro)", fmt(s.municipalities.f1), str(s.n_docs)],
        ["topic micro-F1", fmt(s.topic_micro.f1), str(s.n_docs)],
        ["topic macro-F1", fmt(s.topic_macro_f1), str(len(s.topics))],
    ]


def headline(score: CorpusScore) -> dict[str, Optional[float]]:
    """The few numbers quoted in summaries."""
    out: dict[str, Optional[float]] = {f"{t}_f1": score.items[t].f1 for t in TYPES}
    out.update(responsible_f1=score.responsible_f1, deadline_accuracy=score.deadline_accuracy,
               topic_micro_f1=score.topic_micro.f1)
    return out
