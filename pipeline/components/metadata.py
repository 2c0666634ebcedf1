"""`minutes_metadata`: meeting metadata on `doc._.meta` (dates, place, people, geography)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..rules import metadata

Doc.set_extension("source", default=None, force=True)
Doc.set_extension("language", default=None, force=True)
Doc.set_extension("meta", default=None, force=True)


@Language.factory("minutes_metadata")
def make_metadata(nlp: Language, name: str) -> "MetadataComponent":
    return MetadataComponent()


class MetadataComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.meta = metadata.extract(doc.text, doc._.language or doc.lang_, doc._.source)
        return doc
