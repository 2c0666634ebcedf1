"""Loading gold documents, predictions and the corpus split manifest."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEEDS_DOCS = SHARED / "seeds"
SEEDS_GOLD = SHARED / "seeds-gold"


def load_gold(gold_dir: Path, ids: Optional[list[str]] = None) -> dict[str, dict]:
    """Gold documents of `gold_dir` keyed by id (the JSON `id`, else the file stem)."""
    out: dict[str, dict] = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.setdefault("id", path.stem)
        doc_id = str(doc["id"])
        if ids is None or doc_id in ids:
            out[doc_id] = doc
    return out


def doc_path(gold: dict, docs_dir: Path) -> Path:
    """The source document of a gold record: `file` if given, else `<id>.txt`."""
    return Path(docs_dir) / (gold.get("file") or f"{gold['id']}.txt")


def pred_id(pred: dict) -> str:
    """The gold id a prediction belongs to: the file stem of `document.source` (else `id`)."""
    doc = pred.get("document") or {}
    source = doc.get("source")
    if source:
        return Path(str(source).replace("\\", "/")).stem
    return str(doc.get("id"))


def load_predictions(path: Path) -> dict[str, dict]:
    """Predictions from a JSON Lines file of `minutes extract` objects, keyed by gold id."""
    out: dict[str, dict] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            pred = json.loads(line)
            out[pred_id(pred)] = pred
    return out


def load_splits(corpus: Path = CORPUS) -> Optional[dict[str, list[str]]]:
    """The split manifest corpus/splits.json ({"train": [...], "dev": [...], "test": [...]})."""
    path = Path(corpus) / "splits.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
