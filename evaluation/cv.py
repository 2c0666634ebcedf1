"""Cross-validation and learning curves for trained components.

Only corpus train+dev documents may be used: the test split and the seeds are scored once
per release and never tuned on, so every function here refuses their ids.

A trainable extractor is a pair of callables:
- `train(ids: list[str]) -> model` trains on the corpus documents with these ids;
- `predict(model, path: Path) -> dict` returns one `minutes extract` object for a document.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from sklearn.model_selection import GroupKFold

from evaluation.data import CORPUS, SEEDS_GOLD, doc_path, load_gold, load_splits
from evaluation.scorer import CorpusScore, DocScore, aggregate, score_document

Train = Callable[[list[str]], Any]
Predict = Callable[[Any, Path], dict]


def held_out_ids(corpus: Path = CORPUS, seeds_gold: Path = SEEDS_GOLD) -> set[str]:
    """Ids that must never be trained or tuned on: the corpus test split and the seeds."""
    splits = load_splits(corpus) or {}
    seeds = {p.stem for p in Path(seeds_gold).glob("*.json")} if Path(seeds_gold).exists() else set()
    return set(splits.get("test", [])) | seeds


def check_trainable(ids: Sequence[str], forbidden: Optional[set[str]] = None) -> None:
    """Raise ValueError if any id is a test-split or seed document."""
    bad = sorted(set(ids) & (held_out_ids() if forbidden is None else forbidden))
    if bad:
        raise ValueError(f"test-split or seed documents may not be used for training/tuning: {bad}")


def grouped_folds(ids: Sequence[str], k: int, groups: Optional[Sequence[str]] = None
                  ) -> list[tuple[list[str], list[str]]]:
    """k (train ids, held-out ids) folds; all ids of one group (default: one document) fall in
    the same fold (sklearn GroupKFold)."""
    ids = list(ids)
    groups = list(groups) if groups is not None else ids
    if len(set(groups)) < k:
        raise ValueError(f"{len(set(groups))} groups cannot make {k} folds")
    folds = []
    for tr, te in GroupKFold(n_splits=k).split(ids, groups=groups):
        folds.append(([ids[i] for i in tr], [ids[i] for i in te]))
    return folds


@dataclass
class CVResult:
    folds: list[CorpusScore]  # one score per held-out fold
    pooled: CorpusScore  # all held-out predictions scored together


def _score_ids(model: Any, ids: Sequence[str], gold: dict[str, dict], docs: Path,
               predict: Predict) -> list[DocScore]:
    return [score_document(gold[i], predict(model, doc_path(gold[i], docs))) for i in ids]


def cross_validate(ids: Sequence[str], train: Train, predict: Predict, k: int = 5,
                   gold_dir: Path = CORPUS / "gold", docs: Path = CORPUS / "docs",
                   groups: Optional[Sequence[str]] = None,
                   forbidden: Optional[set[str]] = None) -> CVResult:
    """k-fold cross-validation grouped by document over `ids` (corpus train+dev)."""
    check_trainable(ids, forbidden)
    gold = load_gold(gold_dir, list(ids))
    per_fold, all_docs = [], []
    for train_ids, test_ids in grouped_folds(ids, k, groups):
        model = train(train_ids)
        scored = _score_ids(model, test_ids, gold, docs, predict)
        per_fold.append(aggregate(scored))
        all_docs += scored
    return CVResult(per_fold, aggregate(all_docs))


def learning_curve(train_ids: Sequence[str], eval_ids: Sequence[str], train: Train, predict: Predict,
                   sizes: Optional[Sequence[int]] = None, seed: int = 13,
                   gold_dir: Path = CORPUS / "gold", docs: Path = CORPUS / "docs",
                   forbidden: Optional[set[str]] = None) -> list[tuple[int, CorpusScore]]:
    """Train on growing random subsets of `train_ids` and score on `eval_ids` (e.g. dev).

    Neither set may hold test-split or seed documents.
    """
    check_trainable(list(train_ids) + list(eval_ids), forbidden)
    order = list(train_ids)
    random.Random(seed).shuffle(order)
    n = len(order)
    sizes = sorted({s for s in (sizes or [max(1, n // 8), n // 4, n // 2, 3 * n // 4, n]) if 0 < s <= n})
    gold = load_gold(gold_dir, list(eval_ids))
    out = []
    for size in sizes:
        model = train(order[:size])
        out.append((size, aggregate(_score_ids(model, list(gold), gold, docs, predict))))
    return out
