"""Load the spaCy pipeline for a language.

Preference order (per language):
* nb, nn: an installed official ``nb_core_news_lg`` / ``_md`` / ``_sm`` (Norwegian Bokmål;
  it is also used for Nynorsk when installed, there is no official Nynorsk pipeline)
* sv: ``sv_core_news_lg`` / ``_md`` / ``_sm``
* otherwise the bundled pipeline in ``models/<lang>/`` (trained by pipeline/training/build.sh)

The choice is logged, stored in ``nlp.meta["minutes_source"]`` and returned by
``pipeline_id(nlp)`` (e.g. ``"minutes_nb_bundled 0.1.0"`` or ``"nb_core_news_sm 3.8.0"``) so
results stay traceable. Loading is cached: one load per language per process.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

import pipeline.components.segmenter  # noqa: F401  (registers the minutes_segmenter factory)
import pipeline.lang_rules  # noqa: F401  (registers minutes.tokenizer_exceptions)

log = logging.getLogger(__name__)

LANGS = ("nb", "nn", "sv")
OFFICIAL: dict[str, tuple[str, ...]] = {
    "nb": ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm"),
    "nn": ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm"),
    "sv": ("sv_core_news_lg", "sv_core_news_md", "sv_core_news_sm"),
}
ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "swe": "sv", "se": "sv"}
#: Directory holding the bundled pipelines; override with MINUTES_MODELS_DIR.
MODELS_DIR = Path(os.environ.get("MINUTES_MODELS_DIR", Path(__file__).resolve().parents[1] / "models"))


def _norm_lang(lang: str) -> str:
    lang = (lang or "").strip().lower()
    lang = ALIASES.get(lang, lang)
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    return lang


def official_candidates(lang: str) -> tuple[str, ...]:
    return OFFICIAL[_norm_lang(lang)]


def bundled_path(lang: str) -> Path:
    return MODELS_DIR / _norm_lang(lang)


@lru_cache(maxsize=None)
def load(lang: str) -> Language:
    """Return the pipeline for ``lang`` ("nb", "nn" or "sv"); cached per process."""
    lang = _norm_lang(lang)
    for name in OFFICIAL[lang]:
        if spacy.util.is_package(name):
            nlp = spacy.load(name)
            _install_rules(nlp)
            nlp.meta["minutes_source"] = "official"
            log.info("minutes nlp[%s]: using installed official pipeline %s", lang, pipeline_id(nlp))
            return nlp
    path = bundled_path(lang)
    if not (path / "config.cfg").exists():
        raise OSError(
            f"no official pipeline ({', '.join(OFFICIAL[lang])}) is installed and the bundled "
            f"pipeline {path} is missing; build it with pipeline/training/build.sh")
    nlp = spacy.load(path)
    nlp.meta["minutes_source"] = "bundled"
    log.info("minutes nlp[%s]: using bundled pipeline %s (%s)", lang, pipeline_id(nlp), path)
    return nlp


def _install_rules(nlp: Language) -> None:
    """The official pipelines lack the minutes tokenizer exceptions; add them."""
    try:
        pipeline.lang_rules.install_rules(nlp)
    except Exception as err:  # pragma: no cover - never block loading on this
        log.warning("could not add minutes tokenizer rules to %s: %s", nlp.meta.get("name"), err)


def pipeline_id(nlp: Language) -> str:
    """Traceable name + version, e.g. "minutes_nb_bundled 0.1.0" or "nb_core_news_sm 3.8.0"."""
    meta = nlp.meta
    name = meta.get("name", "unknown")
    version = meta.get("version", "0.0.0")
    if meta.get("minutes_bundled") or meta.get("minutes_source") == "bundled":
        return f"{name}_bundled {version}"
    lang = meta.get("lang") or nlp.lang
    full = name if name.startswith(f"{lang}_") else f"{lang}_{name}"
    return f"{full} {version}"

