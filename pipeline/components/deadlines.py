"""`minutes_deadlines`: the deadline of each action, on `span._.deadline` (ANNOTATION.md rules)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..rules.deadlines import find_deadline

Span.set_extension("deadline", default=None, force=True)


@Language.factory("minutes_deadlines")
def make_deadlines(nlp: Language, name: str) -> "Deadlines":
    return Deadlines()


class Deadlines:
    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta
        for span in doc.spans.get("items", []):
            if span.label_ == "action":
                span._.deadline = find_deadline(
                    span.text, meta.reference_date if meta else None, meta.next_meeting_date if meta else None, doc._.language or doc.lang_
                )
        return doc
