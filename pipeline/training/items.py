"""Train the item (decision/action) and topic classifiers on the corpus train split.

Candidates come from the same pipeline as at run time; a candidate is labelled with a gold item
type when it matches a gold item by the scorer's rule (≥60% of the gold words in the candidate,
≥30% of the candidate's words in the gold item). Candidates that match only optional items are
left out. C and the decision thresholds are chosen by 5-fold cross-validation grouped by
document, on the train split alone. Run: `python -m pipeline.training.items`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from skops.io import dump

from evaluation.tokens import coverage, tokens
from pipeline.components.features import candidate_features
from pipeline.components.items import DEFAULT_MODEL as ITEMS_MODEL
from pipeline.components.items import ITEM_TYPES
from pipeline.components.topics import DEFAULT_MODEL as TOPICS_MODEL
from pipeline.components.topics import TOPICS, document_features, item_topic_features
from pipeline.extract import analyse
from pipeline.ingest import read_document
from pipeline.language import identify
from pipeline.normalise import normalise

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
C_GRID = (1.0, 3.0, 10.0)


@dataclass
class Examples:
    features: list[dict] = field(default_factory=list)
    labels: dict[str, list[int]] = field(default_factory=lambda: {t: [] for t in ITEM_TYPES})
    groups: list[str] = field(default_factory=list)
    #: Candidates that match a gold item, with that item's topics.
    topic_features: list[dict] = field(default_factory=list)
    topic_labels: list[list[str]] = field(default_factory=list)
    topic_groups: list[str] = field(default_factory=list)
    #: Whole documents with their gold topics.
    documents: list[str] = field(default_factory=list)
    document_labels: list[list[str]] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)


def split_ids(split: str) -> list[str]:
    return json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))[split]


def gold_document(doc_id: str) -> tuple[dict, str]:
    gold = json.loads((CORPUS / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))
    return gold, normalise(read_document(CORPUS / "docs" / gold["file"]).text)


def matching_item(candidate: str, gold_items: list[dict]) -> dict | None:
    words = tokens(candidate)
    for item in gold_items:
        gold_cov, pred_cov = coverage(tokens(item["text"]), words)
        if gold_cov >= 0.6 and pred_cov >= 0.3:
            return item
    return None


def label(candidate: str, gold_items: list[dict], item_type: str) -> int | None:
    """1 if the candidate matches a gold item of the type, None if it matches only optional ones."""
    words = tokens(candidate)
    matched_optional = False
    for item in gold_items:
        if item["type"] != item_type:
            continue
        gold_cov, pred_cov = coverage(tokens(item["text"]), words)
        if gold_cov >= 0.6 and pred_cov >= 0.3:
            if not item.get("optional"):
                return 1
            matched_optional = True
    return None if matched_optional else 0


def item_examples(ids: list[str]) -> Examples:
    """Examples of the documents `ids` (each document analysed once per process)."""
    examples = Examples()
    for doc_id in ids:
        part = _document_examples(doc_id)
        for name in ("features", "groups", "topic_features", "topic_labels", "topic_groups", "documents", "document_labels", "document_ids"):
            getattr(examples, name).extend(getattr(part, name))
        for t in ITEM_TYPES:
            examples.labels[t].extend(part.labels[t])
    return examples


@lru_cache(maxsize=None)
def _document_examples(doc_id: str) -> Examples:
    examples = Examples()
    gold, text = gold_document(doc_id)
    doc = analyse(text, identify(text).code, str(CORPUS / "docs" / gold["file"]), with_extraction=False)
    meeting = doc._.meta.reference_date
    examples.documents.append(text)
    examples.document_ids.append(doc_id)
    examples.document_labels.append(gold.get("topics", []))
    for span in doc.spans["candidates"]:
        matched = matching_item(span.text, gold["items"])
        if matched is not None:
            examples.topic_features.append(item_topic_features(span))
            examples.topic_labels.append(matched.get("topics", []))
            examples.topic_groups.append(doc_id)
        labels = {t: label(span.text, gold["items"], t) for t in ITEM_TYPES}
        if any(v is None for v in labels.values()):
            continue
        examples.features.append(candidate_features(span, meeting))
        for t in ITEM_TYPES:
            examples.labels[t].append(labels[t])
        examples.groups.append(doc_id)
    return examples


def item_classifier(c: float) -> Pipeline:
    return Pipeline([("vectorize", DictVectorizer()), ("classify", LogisticRegression(C=c, max_iter=3000))])


def out_of_fold(make, X: list, y: np.ndarray, groups: list[str], folds: int = 5) -> np.ndarray:
    """Probabilities for every example from a model that did not see its document."""
    scores = np.zeros(y.shape, dtype=float)
    for train, test in GroupKFold(n_splits=folds).split(X, y, groups):
        model = make().fit([X[i] for i in train], y[train])
        scores[test] = model.predict_proba([X[i] for i in test])[:, 1] if y.ndim == 1 else model.predict_proba([X[i] for i in test])
    return scores


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    best = (0.5, 0.0)
    for threshold in np.arange(0.05, 0.8, 0.025):
        predicted = p >= threshold
        tp = float((predicted & (y == 1)).sum())
        f1 = 2 * tp / (predicted.sum() + (y == 1).sum()) if tp else 0.0
        if f1 > best[1]:
            best = (float(threshold), f1)
    return best


def calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of probabilities `p` for outcomes `y`."""
    edges = np.linspace(0, 1, bins + 1)
    error = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (p >= lo) & (p < hi) if hi < 1 else (p >= lo)
        if inside.any():
            error += inside.mean() * abs(p[inside].mean() - y[inside].mean())
    return float(error)


def train_items(examples: Examples, tune: bool = True, report: dict | None = None, params: dict | None = None) -> dict:
    """Fit both item classifiers; returns the bundle the component loads. Without tuning, C and
    the thresholds come from `params` (a previous training report)."""
    bundle: dict = {"thresholds": {}}
    for item_type in ITEM_TYPES:
        y = np.array(examples.labels[item_type])
        chosen = params[item_type]["C"] if params else 1.0
        threshold = params[item_type]["threshold"] if params else 0.5
        if tune:
            results = []
            for c in C_GRID:
                p = out_of_fold(lambda: item_classifier(c), examples.features, y, examples.groups)
                t, f1 = best_threshold(y, p)
                results.append((f1, c, t, p))
            f1, chosen, threshold, p = max(results, key=lambda r: r[0])
            if report is not None:
                report[item_type] = {
                    "C": chosen, "threshold": threshold, "cv_candidate_f1": round(f1, 3),
                    "cv_brier": round(float(np.mean((p - y) ** 2)), 4), "cv_ece": round(calibration_error(y, p), 4),
                    "positives": int(y.sum()), "candidates": int(len(y)),
                }
        bundle[item_type] = item_classifier(chosen).fit(examples.features, y)
        bundle["thresholds"][item_type] = threshold
    return bundle


def topic_classifier() -> Pipeline:
    return Pipeline([
        ("vectorize", DictVectorizer()),
        ("classify", OneVsRestClassifier(LogisticRegression(C=3.0, max_iter=3000))),
    ])


def train_topics(examples: Examples, report: dict | None = None, params: dict | None = None) -> dict:
    """Fit the item and document topic classifiers; thresholds by grouped cross-validation, or
    from `params` (a previous training report) when given."""
    binarizer = MultiLabelBinarizer(classes=list(TOPICS))
    bundle: dict = {"labels": list(TOPICS)}
    sets = {
        "item": (examples.topic_features, examples.topic_labels, examples.topic_groups),
        "document": ([document_features(t) for t in examples.documents], examples.document_labels, examples.document_ids),
    }
    for name, (X, labels, groups) in sets.items():
        Y = binarizer.fit_transform(labels)
        bundle["items" if name == "item" else "documents"] = topic_classifier().fit(X, Y)
        if params:
            bundle[f"{name}_threshold"] = params[f"topics_{name}"]["threshold"]
            continue
        p = out_of_fold(topic_classifier, X, Y, groups)
        threshold, f1 = best_threshold(Y.ravel(), p.ravel())
        bundle[f"{name}_threshold"] = threshold
        if report is not None:
            report[f"topics_{name}"] = {"threshold": threshold, "cv_micro_f1": round(f1, 3), "examples": len(X)}
    return bundle


def main() -> None:
    ids = split_ids("train")
    report: dict = {"train_documents": len(ids)}
    examples = item_examples(ids)
    items = train_items(examples, report=report)
    topics = train_topics(examples, report)
    for path, bundle in ((ITEMS_MODEL, items), (TOPICS_MODEL, topics)):
        path.parent.mkdir(parents=True, exist_ok=True)
        dump(bundle, path)
    (ITEMS_MODEL.parent / "training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
