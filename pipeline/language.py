"""Language identification: nb, nn, sv, da, en or und, for a document or a paragraph.

Two stages, chosen by measurement (`python -m evaluation.langid`, report in
evaluation/reports/langid.md): lingua tells Danish and English from the Scandinavian languages,
but confuses Bokmål and Nynorsk (on short texts, and overconfidently on whole documents); a
character n-gram classifier trained on the Norwegian Dependency Treebank and Swedish treebanks
(`pipeline.training.langid`) decides between nb, nn and sv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lingua import Language, LanguageDetectorBuilder

from .modelio import load_skops

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "langid" / "nb_nn_sv.skops"
LANGUAGES = ("nb", "nn", "sv", "da", "en", "und")
#: Texts with fewer letters than this are `und`.
MIN_LETTERS = 10
#: lingua's Danish or English confidence above which the text is taken as foreign (on UD dev,
#: 0.6 sends 0.3% of Norwegian and no Swedish sentences astray).
FOREIGN_THRESHOLD = 0.6
#: Only this much of a long document is read: language does not change after the first pages.
MAX_CHARS = 20_000
_LINGUA = {Language.BOKMAL: "nb", Language.NYNORSK: "nn", Language.SWEDISH: "sv",
           Language.DANISH: "da", Language.ENGLISH: "en"}


@dataclass(frozen=True)
class LanguageGuess:
    """A language code with the probability the deciding stage gave it."""

    code: str
    confidence: float


@lru_cache(maxsize=1)
def _family_detector():
    return LanguageDetectorBuilder.from_languages(*_LINGUA).build()


@lru_cache(maxsize=1)
def _scandinavian_classifier():
    return load_skops(MODEL_PATH)


def identify(text: str) -> LanguageGuess:
    """Identify the language of a text."""
    text = text[:MAX_CHARS]
    if len(re.findall(r"[^\W\d_]", text)) < MIN_LETTERS:
        return LanguageGuess("und", 0.0)
    scores = {_LINGUA[c.language]: c.value for c in _family_detector().compute_language_confidence_values(text)}
    foreign = max(("da", "en"), key=lambda code: scores.get(code, 0))
    if scores.get(foreign, 0) > FOREIGN_THRESHOLD:
        return LanguageGuess(foreign, scores[foreign])
    classifier = _scandinavian_classifier()
    probabilities = classifier.predict_proba([text])[0]
    best = int(probabilities.argmax())
    return LanguageGuess(str(classifier.classes_[best]), float(probabilities[best]))


def identify_spans(text: str, spans: list[tuple[int, int]], min_letters: int = 60) -> list[tuple[int, int, str]]:
    """Language of each span (e.g. paragraph) long enough to tell; for documents that mix."""
    out = []
    for start, end in spans:
        chunk = text[start:end]
        if len(re.findall(r"[^\W\d_]", chunk)) >= min_letters:
            out.append((start, end, identify(chunk).code))
    return out
