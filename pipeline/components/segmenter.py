"""Rule-based pre-segmentation for minutes: bullet lists, numbered items and headings.

Runs before the parser. It sets ``is_sent_start = True`` on the first token of a line
that starts a list item or follows a heading / blank line, and ``False`` on the other
tokens of such a line's first position only when the rule is certain. The parser
respects boundaries that are already set, so its own segmentation fills in the rest.
Whitespace tokens holding a newline are attached to the preceding sentence.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

BULLET_RE = re.compile(r"^(?:[-–—•*·▪◦●■□➢→>]|\d{1,3}[.)]|[a-zA-Z][.)]|[ivxIVX]{1,4}[.)])$")
CASE_HEADING_RE = re.compile(r"^(?:sak|ps|fs|rs|ks|ärende|§|punkt|pkt\.?)$", re.IGNORECASE)


MAX_HEADING_TOKENS = 12
END_PUNCT = {".", "!", "?", ":", ";"}


def _lines(doc: Doc) -> list[list]:
    """Non-space tokens grouped by text line."""
    lines, cur = [], []
    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text and cur:
                lines.append(cur)
                cur = []
            continue
        cur.append(tok)
        if "\n" in tok.whitespace_:
            lines.append(cur)
            cur = []
    if cur:
        lines.append(cur)
    return lines


def _line_starts(doc: Doc) -> list[int]:
    """Indices of the first non-space token of each line after the first."""
    starts = []
    for tok in doc:
        if tok.i == 0:
            continue
        prev = doc[tok.i - 1]
        newline_before = "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        if newline_before and not tok.is_space:
            starts.append(tok.i)
    return starts


@Language.factory("minutes_segmenter", default_config={"blank_line_breaks": True})
def make_segmenter(nlp: Language, name: str, blank_line_breaks: bool) -> "MinutesSegmenter":
    return MinutesSegmenter(blank_line_breaks=blank_line_breaks)


class MinutesSegmenter:
    def __init__(self, blank_line_breaks: bool = True) -> None:
        self.blank_line_breaks = blank_line_breaks

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2 or "\n" not in doc.text:
            return doc
        lines = _lines(doc)
        # whitespace tokens ("\n", "\n\n  ") never start a sentence: they stay with the line before
        for tok in doc[1:]:
            if tok.is_space:
                tok.is_sent_start = False
        for n, line in enumerate(lines):
            first = line[0]
            bullet = bool(BULLET_RE.match(first.text)) and len(line) > 1
            if not bullet and len(line) > 2 and (first.like_num or len(first.text) == 1) and line[1].text in (".", ")"):
                bullet = True  # "2 ." tokenised apart
                line[1].is_sent_start = False
                line = [first] + line[2:]
                if len(line) == 1:
                    continue
            case_heading = bool(CASE_HEADING_RE.match(first.text))
            last = line[-1]
            heading = len(line) <= MAX_HEADING_TOKENS and not (last.is_punct and last.text in END_PUNCT) and (
                case_heading or first.text[:1].isupper() or first.like_num)
            if n > 0:
                prev = lines[n - 1]
                prev_last = prev[-1]
                prev_ended = prev_last.is_punct and prev_last.text in END_PUNCT
                prev_heading = len(prev) <= MAX_HEADING_TOKENS and not prev_ended
                gap = doc[prev_last.i:first.i].text.count("\n") >= 2
                if (bullet or case_heading or prev_ended or gap or (self.blank_line_breaks and gap)
                        or (prev_heading and (first.text[:1].isupper() or first.like_num or bullet))):
                    first.is_sent_start = True
            if bullet:
                line[1].is_sent_start = False
            if case_heading or heading:
                for tok in line[1:]:
                    tok.is_sent_start = False
        return doc
