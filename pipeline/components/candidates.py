"""`minutes_candidates`: the clauses that may be items, on `doc.spans["candidates"]`.

A candidate is a list item, a table row, or a sentence of a paragraph line. Each candidate
span carries its context: the block kind, the nearest heading or label line above it
(`Vedtak:`, `Kommunerunde`, `Att göra`), and its agenda item.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..structure import agenda_items, blocks

Span.set_extension("block", default=None, force=True)
Span.set_extension("heading", default=None, force=True)
Span.set_extension("agenda_item", default=None, force=True)
Doc.set_extension("agenda", default=[], force=True)

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "bl.a", "t.ex", "f.eks", "m.m", "mm", "kl", "ca", "jf", "jfr", "dvs", "osv", "nr", "ev", "evt", "ref", "o.l", "s",
    "pkt", "vedr", "ang", "tlm", "inkl", "ekskl", "etc", "mv", "m.v", "bl.annat", "t.o.m", "f.o.m", "p.g.a", "pga",
    "resp", "st", "fr", "forts", "sek", "avd", "adm", "tel", "mob", "iht", "ift", "jmf", "dr", "prof", "d.v.s",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"»”)]?\s+(?=[A-ZÆØÅÄÖÜ«\"“(•\d])")
MIN_CHARS = 8  # "Godkjent." is an item; "1." and stray glyphs are not


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] as offsets: split at lines and sentence ends, not abbreviations."""
    spans: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = 0
        for match in _SENTENCE_END.finditer(line):
            word = re.search(r"(\S+)[.!?][\"»”)]?$", line[: match.start()])
            token = word.group(1).lower() if word else ""
            if token in ABBREVIATIONS or token.isdigit() or len(token) == 1:
                continue  # "bl.a.", "1. mars", initials
            spans.append((line_start + cut, line_start + match.start()))
            cut = match.end()
        spans.append((line_start + cut, line_start + len(line)))
    return [(s, e) for s, e in _trimmed(text, spans) if e - s >= MIN_CHARS]


def _trimmed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        while s < e and text[s] in " \t•":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        out.append((s, e))
    return out


def candidate_spans(text: str) -> list[tuple[int, int, str, str | None]]:
    """(start, end, block kind, heading) for every candidate in a normalised text."""
    out = []
    heading: str | None = None
    for block in blocks(text):
        body = text[block.start : block.end]
        if block.kind == "heading":
            heading = body.strip("#: \t")
            if len(body) > 60 and not body.rstrip().endswith(":"):  # `Vedtak: Saken godkjennes` style lines
                out += [(s, e, "heading", heading) for s, e in sentence_spans(text, block.start, block.end)]
            continue
        if block.kind == "table_row":
            out.append((block.start, block.end, "table_row", heading))
            continue
        for s, e in sentence_spans(text, block.start, block.end):
            out.append((s, e, block.kind, heading))
        if block.kind == "paragraph" and body.rstrip().endswith(":") and len(body) < 80:
            heading = body.strip(": \t")
    return out


@Language.factory("minutes_candidates")
def make_candidates(nlp: Language, name: str) -> "Candidates":
    return Candidates()


class Candidates:
    """Marks candidate clauses with their block kind, heading and agenda item; the agenda
    itself goes on `doc._.agenda`."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # rebuilt from the tokens on every access: read it once
        agenda = doc._.agenda = agenda_items(text)
        spans = []
        for start, end, kind, heading in candidate_spans(text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not span.text.strip():
                continue
            span._.block = kind
            span._.heading = heading
            span._.agenda_item = next((a for a in agenda if a.start <= start < a.end), None)
            spans.append(span)
        doc.spans["candidates"] = spans
        return doc
