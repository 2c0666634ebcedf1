"""`minutes_topics`: topic ids for every item (`span._.topics`) and the document (`doc._.topics`).

Two one-vs-rest classifiers (items, documents) over word features, trained on the corpus train
split, plus a keyword prior: a rare topic's unambiguous keywords (`§ 9A`, `GDPR`, `samisk`,
`nyanlända`) add that topic even when the classifier has seen too few examples of it.
"""
from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..modelio import load_skops

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "topics" / "topics.skops"
TOPICS = (
    "learning_environment", "digitalisation", "assessment_results", "competence_development", "curriculum", "finance",
    "special_needs_inclusion", "newcomers_language", "quality_management", "organisation_governance",
    "participation_home_school", "health_wellbeing", "transitions", "indigenous_minority", "staffing",
    "early_childhood_afterschool", "privacy_data_protection",
)
KEYWORDS: dict[str, re.Pattern[str]] = {
    topic: re.compile(pattern, re.IGNORECASE)
    for topic, pattern in {
        "learning_environment": r"§\s*9\s*A|\b9A\b|kap(?:ittel)?\.?\s*9\s*A|aktivitetsplikt|mobbing|mobbning|kränkande|krenk|skolemiljø|skulemiljø|skolmiljö|trygghet|studiero|arbeidsro",
        "privacy_data_protection": r"\bGDPR\b|personvern|personopplysning|personuppgift|dataskydd|samtykke|samtykkje|samtycke|databehandl|personvernkonsekvens|\bDPIA\b",
        "indigenous_minority": r"\bsam(?:isk|iske|iska|isk|er|ene|ar|erna)\b|sametinget|sámi|kvensk|meänkieli|nasjonale minoritet|nationella minoritet|romani|tornedalsfinsk",
        "newcomers_language": r"nyankom|nyanlän|minoritetsspråk|morsmål|modersmål|andrespråk|andraspråk|\bSvA\b|innføringsklasse|introduksjonsklasse|förberedelseklass|studiehandledning|tospråklig",
        "early_childhood_afterschool": r"barnehage|förskol|\bSFO\b|\bAKS\b|fritidshem|skolefritid|aktivitetsskole",
        "transitions": r"overgang|övergång|ungdomsskole.*videregående|gymnasievalet|studie- og yrkesrådgiv|studie- och yrkesvägledning|karriereveiledning|prao",
        "staffing": r"rekrutter|lærermangel|lärarbrist|kompetansekrav|lärarlegitimation|legitimation|sjukefråvær|sykefravær|sjukfrånvaro|bemanning|lønn|lön\b|lönesättning",
    }.items()
}

Doc.set_extension("topics", default=[], force=True)
Span.set_extension("topics", default=[], force=True)


def word_features(text: str, prefix: str = "") -> dict[str, float]:
    words = re.findall(r"[\wæøåäöü§]+", text.lower())
    features = {f"{prefix}w={w}": 1.0 for w in words}
    features.update({f"{prefix}b={a}_{b}": 1.0 for a, b in zip(words, words[1:])})
    return features


def section_text(span: Span, window: int = 600) -> str:
    """What an item is about: its agenda item's title and text, else the text around it."""
    agenda = span._.agenda_item
    if agenda is not None:
        return span.doc.text[agenda.start : min(agenda.end, agenda.start + 3 * window)]
    return span.doc.text[max(0, span.start_char - window) : span.end_char + window]


def item_topic_features(span: Span) -> dict[str, float]:
    """The clause's own words and, separately, the words of its section."""
    features = word_features(span.text)
    features.update({k: v * 0.5 for k, v in word_features(section_text(span), "s").items()})
    return features


def keyword_topics(text: str, min_hits: int = 1) -> set[str]:
    """Topics whose keywords occur at least `min_hits` times."""
    return {topic for topic, pattern in KEYWORDS.items() if len(pattern.findall(text)) >= min_hits}


@Language.factory("minutes_topics", default_config={"model": str(DEFAULT_MODEL)})
def make_topics(nlp: Language, name: str, model: str) -> "Topics":
    return Topics(Path(model))


class Topics:
    def __init__(self, model: Path) -> None:
        bundle = load_skops(model)
        self.items, self.documents = bundle["items"], bundle["documents"]
        self.labels: list[str] = list(bundle["labels"])
        self.item_threshold, self.document_threshold = float(bundle["item_threshold"]), float(bundle["document_threshold"])

    def predict(self, classifier, features: list[dict], texts: list[str], threshold: float, min_hits: int = 1) -> list[list[str]]:
        if not texts:
            return []
        probabilities = classifier.predict_proba(features)
        out = []
        for text, row in zip(texts, probabilities):
            chosen = {label for label, p in zip(self.labels, row) if p >= threshold}
            out.append([t for t in TOPICS if t in chosen | keyword_topics(text, min_hits)])
        return out

    def __call__(self, doc: Doc) -> Doc:
        items = list(doc.spans.get("items", []))
        features = [item_topic_features(s) for s in items]
        for span, topics in zip(items, self.predict(self.items, features, [s.text for s in items], self.item_threshold)):
            span._.topics = topics
        # A document names a rare topic's keyword in passing; it takes three mentions to count.
        doc_topics = set(self.predict(self.documents, [word_features(doc.text)], [doc.text], self.document_threshold, min_hits=3)[0])
        doc._.topics = [t for t in TOPICS if t in doc_topics]
        return doc
