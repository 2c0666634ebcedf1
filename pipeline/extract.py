"""The whole path for one file: ingest → normalise → language → spaCy Doc → contract.

The Doc is made by the language's pipeline (`pipeline.nlp`) followed by the minutes
components; the JSON writer (`pipeline.contract.from_doc`) reads everything from the Doc.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as nlp_loader
from .components import candidates, deadlines, items, metadata, responsible, topics  # noqa: F401  (factories)
from .contract import Extraction, from_doc
from .ingest import read_document
from .lang_rules import install_rules
from .language import identify
from .normalise import normalise

log = logging.getLogger(__name__)

ANALYSIS = ("minutes_metadata", "minutes_candidates")
EXTRACTION = ("minutes_items", "minutes_responsible", "minutes_deadlines", "minutes_topics")
#: Languages without a pipeline of their own borrow the closest one.
PIPELINE_LANGUAGE = {"nb": "nb", "nn": "nn", "sv": "sv", "da": "nb"}


def language_pipeline(lang: str, with_extraction: bool = True) -> Language:
    """The language's spaCy pipeline plus the minutes components (one instance per process)."""
    # One cache key however it is called: lru_cache keys `f(x)` and `f(x, True)` apart.
    return _language_pipeline(lang, bool(with_extraction))


@lru_cache(maxsize=None)
def _language_pipeline(lang: str, with_extraction: bool) -> Language:
    code = PIPELINE_LANGUAGE.get(lang)
    try:
        # A private instance: the minutes components are added to it.
        nlp = nlp_loader.load.__wrapped__(code) if code else spacy.blank("xx")
    except OSError as exc:
        log.warning("%s; using a blank %s pipeline (no tagging or parsing)", exc, code)
        nlp = spacy.blank("nb" if code in {"nb", "nn"} else code)
        install_rules(nlp)
        nlp.meta["name"], nlp.meta["minutes_source"] = f"blank_{code}", "blank"
    for name in ANALYSIS + (EXTRACTION if with_extraction else ()):
        nlp.add_pipe(name)
    return nlp


def _make_doc(nlp: Language, text: str, language: str, source: str | None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.source, doc._.language = source, language
    return doc


def analyse(text: str, language: str, source: str | None = None, with_extraction: bool = True) -> Doc:
    """Run the pipeline of `language` over a normalised text."""
    nlp = language_pipeline(language, with_extraction)
    return nlp(_make_doc(nlp, text, language, source))


def analyse_many(texts: list[str], language: str, sources: list[str | None], batch_size: int = 16) -> list[Doc]:
    """Run the pipeline of `language` over many normalised texts in batches (`nlp.pipe`)."""
    nlp = language_pipeline(language)
    docs = (_make_doc(nlp, text, language, source) for text, source in zip(texts, sources))
    return list(nlp.pipe(docs, batch_size=batch_size))


def extract(path: Path | str) -> Extraction:
    """Extract one file; raises IngestError when the file is not a readable document."""
    raw = read_document(path)
    text = normalise(raw.text)
    language = identify(text).code
    doc = analyse(text, language, raw.source)
    return from_doc(doc, raw.source, pipeline_versions(language))


def extract_file(path: Path | str) -> dict:
    """Extract one file into the JSON-ready dict of the contract."""
    return extract(path).model_dump(mode="json")


def pipeline_versions(language: str) -> dict[str, str]:
    """Names and versions of everything that made an extraction, for traceability."""
    from . import __version__

    nlp = language_pipeline(language)
    return {"minutes": __version__, "spacy_pipeline": nlp_loader.pipeline_id(nlp)}


def versions() -> dict[str, str]:
    """Versions of every pipeline and model (used by the evaluation report)."""
    out = {}
    for lang in ("nb", "nn", "sv"):
        try:
            out[f"spacy_{lang}"] = pipeline_versions(lang)["spacy_pipeline"]
        except Exception as exc:  # a missing pipeline is reported, not fatal
            out[f"spacy_{lang}"] = f"unavailable ({exc})"
    return out
