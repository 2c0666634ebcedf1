"""The extractor as a trainable unit, for cross-validation and learning curves (evaluation/cv.py).

`train(ids)` fits the item and topic classifiers on those corpus documents with the
hyper-parameters chosen for the release (models/items/training.json); `predict(model, path)`
extracts a file with them in place of the bundled ones.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .components.items import DEFAULT_MODEL as ITEMS_MODEL
from .contract import from_doc
from .extract import analyse, language_pipeline, pipeline_versions
from .ingest import read_document
from .language import identify
from .normalise import normalise


def train(ids: list[str]) -> dict[str, Any]:
    from .training.items import item_examples, train_items, train_topics

    params = json.loads((ITEMS_MODEL.parent / "training.json").read_text(encoding="utf-8"))
    examples = item_examples(list(ids))
    return {"items": train_items(examples, tune=False, params=params), "topics": train_topics(examples, params=params)}


def predict(model: dict[str, Any], path: Path) -> dict:
    raw = read_document(path)
    text = normalise(raw.text)
    language = identify(text).code
    nlp = language_pipeline(language)
    items, topics = nlp.get_pipe("minutes_items"), nlp.get_pipe("minutes_topics")
    saved = (items.classifiers, items.thresholds, topics.items, topics.documents)
    try:
        items.classifiers = {t: model["items"][t] for t in items.classifiers}
        items.thresholds = dict(model["items"]["thresholds"])
        topics.items, topics.documents = model["topics"]["items"], model["topics"]["documents"]
        doc = analyse(text, language, raw.source)
    finally:
        items.classifiers, items.thresholds, topics.items, topics.documents = saved
    return from_doc(doc, raw.source, pipeline_versions(language)).model_dump(mode="json")
