"""Tokenizer rules for Scandinavian meeting minutes, shared by nb, nn and sv.

The rules are installed by the registered callback ``minutes.tokenizer_exceptions``
(referenced from ``[initialize.before_init]`` in the training configs). They are
stored in the tokenizer's own serialization (special cases + token_match pattern),
so a pipeline saved to disk keeps them without importing this module.
"""
from __future__ import annotations

import re
from typing import Callable

import spacy
from spacy.language import Language
from spacy.symbols import ORTH, NORM

# Abbreviations that must stay one token (lower-case forms; capitalised variants are
# added automatically). Mixed Norwegian (nb/nn) and Swedish; harmless across languages.
ABBREVIATIONS: list[str] = [
    # nb / nn
    "kl.", "ca.", "bl.a.", "jf.", "jfr.", "ev.", "evt.", "m.m.", "mm.", "osv.", "dvs.",
    "f.eks.", "t.d.", "m.a.", "mfl.", "m.fl.", "pkt.", "nr.", "stk.", "iht.", "ifm.",
    "vedr.", "ang.", "innst.", "prp.", "tlf.", "adr.", "avd.", "ref.", "sak.",
    "bl.anna", "o.l.", "pga.", "p.g.a.", "ihht.", "iflg.", "kr.", "mill.", "mrd.",
    "sekr.", "leiar.", "sign.", "utv.", "kap.", "vgs.", "ordf.", "nestl.",
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "okt.", "nov.", "des.",
    # sv
    "t.ex.", "bl.a.", "m.fl.", "s.k.", "d.v.s.", "o.s.v.", "fr.o.m.", "t.o.m.", "p.g.a.",
    "resp.", "enl.", "ev.", "dnr.", "f.d.", "ca.", "kl.", "st.", "jfr.", "ordf.", "sekr.",
    "dec.", "maj.", "okt.",
]
SLASH_ABBREVIATIONS: list[str] = ["v/", "c/o", "m/", "u/", "f/", "o/"]

# Whole tokens that must not be split: dates (29.09.17, 29.09.2017, 26/1-18, 26/1 2018 is
# two tokens), case numbers (3/2022, 23/17, 2022/123, 22/00123-4), clock times (kl. 18.30),
# section numbers (§ 3-1 -> "3-1"), and paragraph references like 1.2.3.
_TOKEN_MATCH = (
    r"(?:"
    r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})"          # 29.09.17 / 29.09.2017
    r"|\d{1,2}/\d{1,2}-(?:\d{4}|\d{2})"            # 26/1-18
    r"|\d{1,2}/\d{1,2}(?:\s?-\s?)?"                # 26/1
    r"|\d{1,5}/\d{2,5}(?:-\d{1,4})?"               # 3/2022, 23/17, 22/00123-4
    r"|\d{1,2}[.:]\d{2}(?:-\d{1,2}[.:]\d{2})?"     # 18.30, 18:30-20.00
    r"|\d{4}-\d{2}-\d{2}"                          # ISO date
    r"|\d+(?:\.\d+){2,}"                           # 1.2.3 numbering
    r"|\d+-\d+"                                    # 3-1
    r"|[vVcCmMuUfFoO]/[^\W\d]?"                    # v/, c/o, m/
    r")$"
)
TOKEN_MATCH_RE = re.compile(_TOKEN_MATCH)


def _variants(text: str) -> set[str]:
    out = {text}
    if text[:1].isalpha():
        out.add(text[0].upper() + text[1:])
    return out


# Sentence-final period after a date / case number ("sak 23/17.") is split off; the
# Norwegian defaults keep "17." together because it is an ordinal ("17. mai").
EXTRA_SUFFIXES = [
    r"(?<=[/.\-]\d\d)\.$", r"(?<=[/.\-]\d\d\d\d)\.$", r"(?<=/\d)\.$", r"(?<=/\d\d\d)\.$",
    r"(?<=/\d\d\d\d\d)\.$",
]


def install_rules(nlp: Language) -> Language:
    """Add the minutes tokenizer rules to ``nlp.tokenizer`` (idempotent)."""
    from spacy.util import compile_suffix_regex

    tok = nlp.tokenizer
    suffixes = list(nlp.Defaults.suffixes or [])
    if not getattr(tok, "_minutes_rules", False):
        tok.suffix_search = compile_suffix_regex(EXTRA_SUFFIXES + suffixes).search
    for abbr in ABBREVIATIONS + SLASH_ABBREVIATIONS:
        for form in _variants(abbr):
            tok.add_special_case(form, [{ORTH: form, NORM: abbr}])
    old_match = tok.token_match
    if getattr(tok, "_minutes_rules", False) or (
        old_match is not None and getattr(old_match, "__self__", None) is TOKEN_MATCH_RE
    ):
        return nlp
    if old_match is None:
        tok.token_match = TOKEN_MATCH_RE.match
    else:
        # keep the language's own pattern: combine both into one regex so it serializes
        try:
            pattern = old_match.__self__.pattern  # type: ignore[attr-defined]
            tok.token_match = re.compile(f"(?:{_TOKEN_MATCH})|(?:{pattern})").match
        except AttributeError:
            tok.token_match = TOKEN_MATCH_RE.match
    return nlp


@spacy.registry.callbacks("minutes.tokenizer_exceptions")
def make_tokenizer_rules() -> Callable[[Language], Language]:
    return install_rules


# ---------------------------------------------------------------- lemma backoff

SKIP_LEMMA_POS = {"PROPN", "PUNCT", "NUM", "SYM", "X"}


@Language.factory(
    "minutes_lemma_backoff",
    default_config={"lang": "sv", "skip_pos": sorted(SKIP_LEMMA_POS)},
)
def make_lemma_backoff(nlp: Language, name: str, lang: str, skip_pos: list[str]) -> "LemmaBackoff":
    return LemmaBackoff(lang, set(skip_pos))


class LemmaBackoff:
    """Replace the trained lemmatizer's output by the simplemma dictionary lemma when simplemma
    knows the (lower-cased) word. Unknown words, names, numbers and punctuation keep the
    trained lemma. Chosen per language on the dev split (see the model card)."""

    def __init__(self, lang: str, skip_pos: set[str]) -> None:
        self.lang = lang
        self.skip_pos = skip_pos
        self._cache: dict[str, str | None] = {}

    def _lookup(self, low: str) -> str | None:
        if low in self._cache:
            return self._cache[low]
        import simplemma

        lemma = simplemma.lemmatize(low, lang=self.lang)
        known = lemma != low or simplemma.is_known(low, lang=self.lang)
        out = lemma if known else None
        if len(self._cache) < 200_000:
            self._cache[low] = out
        return out

    def __call__(self, doc):
        for tok in doc:
            if tok.pos_ in self.skip_pos or tok.is_space:
                continue
            lemma = self._lookup(tok.text.lower())
            if lemma is not None:
                tok.lemma_ = lemma
        return doc
