"""Write corpus/splits.json: the fixed document-level train/dev/test split.

Stratified by language: within each language, documents ordered by the sha1 of their id take
70% train, 15% dev, 15% test (at least one each where the language has three or more). The
manifest, once committed, is the split: every accuracy figure on "test" refers to it.
Run: `python corpus/tools/split.py`.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]


def main() -> None:
    splits: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    counts: Counter[tuple[str, str]] = Counter()
    by_language: dict[str, list[str]] = {}
    for path in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        by_language.setdefault(gold["language"], []).append(gold["id"])
    for lang, ids in by_language.items():
        ids.sort(key=lambda i: hashlib.sha1(i.encode("utf-8")).hexdigest())
        n_test = max(1, round(0.15 * len(ids))) if len(ids) >= 3 else 0
        n_dev = max(1, round(0.15 * len(ids))) if len(ids) >= 3 else 0
        for n, doc_id in enumerate(ids):
            split = "test" if n < n_test else "dev" if n < n_test + n_dev else "train"
            splits[split].append(doc_id)
            counts[(lang, split)] += 1
    for ids in splits.values():
        ids.sort()
    (CORPUS / "splits.json").write_text(json.dumps(splits, indent=1) + "\n", encoding="utf-8")
    for lang in sorted({lang for lang, _ in counts}):
        print(lang, {split: counts[(lang, split)] for split in splits})


if __name__ == "__main__":
    main()
