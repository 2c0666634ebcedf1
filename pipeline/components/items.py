"""`minutes_items`: decisions and actions among the candidates, on `doc.spans["items"]`.

Two scikit-learn Pipelines (DictVectorizer → LogisticRegression), one per item type, score each
candidate; a candidate may be both (a decision that sets a task). The probability is the item's
`confidence`; the thresholds were chosen by grouped cross-validation on the train split
(models/items/README.md).
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..modelio import load_skops
from .features import candidate_features

ITEM_TYPES = ("decision", "action")
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "items" / "items.skops"

Span.set_extension("confidence", default=None, force=True)


@Language.factory("minutes_items", default_config={"model": str(DEFAULT_MODEL)})
def make_items(nlp: Language, name: str, model: str) -> "ItemClassifier":
    return ItemClassifier(Path(model))


class ItemClassifier:
    def __init__(self, model: Path) -> None:
        bundle = load_skops(model)
        self.classifiers = {t: bundle[t] for t in ITEM_TYPES}
        self.thresholds = {t: float(bundle["thresholds"][t]) for t in ITEM_TYPES}

    def __call__(self, doc: Doc) -> Doc:
        candidates = list(doc.spans.get("candidates", []))
        items: list[Span] = []
        if candidates:
            meeting = doc._.meta.reference_date if doc._.meta else None
            features = [candidate_features(span, meeting) for span in candidates]
            for item_type in ITEM_TYPES:
                probabilities = self.classifiers[item_type].predict_proba(features)[:, 1]
                for span, p in zip(candidates, probabilities):
                    if p >= self.thresholds[item_type]:
                        item = Span(doc, span.start, span.end, label=item_type)
                        item._.confidence = float(p)
                        item._.block, item._.heading, item._.agenda_item = span._.block, span._.heading, span._.agenda_item
                        items.append(item)
        doc.spans["items"] = sorted(items, key=lambda s: (s.start, s.label_))
        return doc
