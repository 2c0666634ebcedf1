"""Tokenisation used for matching, in one place (ANNOTATION.md, "Scoring").

Word tokens are lower-cased, punctuation is dropped, and a word hyphenated across a line
break ("opplærings-\\nloven") is joined first.
"""
from __future__ import annotations

import re
from collections import Counter

_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)")
_WORD = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    """Word tokens of `text`: hyphenation at line breaks joined, lower-cased, no punctuation."""
    if not text:
        return []
    text = str(text)
    return _WORD.findall(_HYPHEN_BREAK.sub(r"\1\2", text).replace("\u00ad", "").lower())


def norm(text: str | None) -> str:
    """A string's tokens joined by single spaces (for comparing names and places)."""
    return " ".join(tokens(text))


def common(a: list[str], b: list[str]) -> int:
    """Number of tokens shared by `a` and `b`, counted as multisets (a repeated word is only
    covered as many times as it occurs on the other side)."""
    return sum((Counter(a) & Counter(b)).values())


def coverage(gold: list[str], pred: list[str]) -> tuple[float, float]:
    """(share of gold tokens found in pred, share of pred tokens found in gold); 0.0 if empty."""
    c = common(gold, pred)
    return (c / len(gold) if gold else 0.0, c / len(pred) if pred else 0.0)


def contains_name(a: str, b: str) -> bool:
    """True when the names are equal or one's tokens form a contiguous run in the other's
    (case-insensitive): "Susanna" ~ "Susanna Ward Jonsson", "SKIS" ~ "SKIS-gruppen",
    but not "Anna" ~ "Annamaria"."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))
