"""`minutes_responsible`: who is to act on each action, on `span._.responsible`.

In order of evidence: an `Ansvar:` label in the item or the line after it; the `Hvem`/`Vem`
column of a to-do table; a request or assignment (`ber rådmannen om å`, `får i uppdrag att`);
the subject of the clause (dependency parse when the pipeline has one, else the capitalised
words opening the clause). Coordinations are split; each actor gets a kind.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules import actors

Span.set_extension("responsible", default=[], force=True)
_WHO_HEADER = re.compile(r"^(?:hvem|kven|vem|ansvar\w*|who|responsible|utføres av|ansvarig)$", re.IGNORECASE)


@Language.factory("minutes_responsible")
def make_responsible(nlp: Language, name: str) -> "Responsible":
    return Responsible()


class Responsible:
    def __call__(self, doc: Doc) -> Doc:
        participants = {name for name, _ in doc._.meta.participants} if doc._.meta else set()
        text = doc.text  # rebuilt from the tokens on every access: read it once
        for span in doc.spans.get("items", []):
            if span.label_ != "action":
                continue
            names = self.find(text, span)
            span._.responsible = [(n, actors.kind(n, participants)) for n in dict.fromkeys(names)]
        return doc

    def find(self, doc_text: str, span: Span) -> list[str]:
        text = span.text
        line_end = doc_text.find("\n", span.end_char)
        next_line = doc_text[line_end + 1 : doc_text.find("\n", line_end + 1)] if line_end >= 0 else ""
        found = actors.explicit(text) or actors.explicit(next_line) if re.match(r"\s*ansv", next_line, re.IGNORECASE) else actors.explicit(text)
        if found:
            return found
        if span._.block == "table_row":
            return self._table_column(doc_text, span)
        return actors.requested(text) or self._parsed_subject(span) or actors.leading_subject(text)

    def _table_column(self, doc_text: str, span: Span) -> list[str]:
        cells = span.text.split("\t")
        header = self._table_header(doc_text, span)
        if header:
            for i, title in enumerate(header):
                if _WHO_HEADER.match(title.strip()) and i < len(cells):
                    return [a for a in actors.split_actors(cells[i]) if actors.is_actor(a)]
        for cell in cells[1:]:
            names = [a for a in actors.split_actors(cell) if actors.is_actor(a) and not re.search(r"\d", a)]
            if names:
                return names
        return []

    def _table_header(self, doc_text: str, span: Span) -> list[str] | None:
        lines = doc_text[: span.start_char].split("\n")[:-1]
        for line in reversed(lines[-30:]):
            if "\t" not in line:
                return None
            cells = line.split("\t")
            if any(_WHO_HEADER.match(c.strip()) for c in cells):
                return cells
        return None

    def _parsed_subject(self, span: Span) -> list[str]:
        if not span.doc.has_annotation("DEP"):
            return []
        for token in span:
            if token.dep_ in {"nsubj", "nsubj:pass"} and token.head.pos_ in {"VERB", "AUX"} and span.start <= token.head.i < span.end:
                words = [t for t in token.subtree if span.start <= t.i < span.end and t.dep_ not in {"punct", "acl", "acl:relcl", "appos"}]
                phrase = span.doc[words[0].i : words[-1].i + 1].text if words else token.text
                names = [a for a in actors.split_actors(phrase) if actors.is_actor(a) and a.lower() not in {"vi", "me", "det", "man"}]
                if names:
                    return names
        return []
