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
    topic: re.compile(rf"(?<![\wæøåäö])(?:{pattern})", re.IGNORECASE)
    for topic, pattern in {
        "learning_environment": r"§\s*9\s*A|9A\b|kap(?:ittel)?\.?\s*9\s*A|aktivitetsplikt|mobb|kränk|krenk|skolemiljø|skulemiljø|skolmiljö|læringsmiljø|læringsmiljø|trygg|studiero|arbeidsro|trivsel|ordensreglement|ordningsregler|mobilfri|mobilförbud|uro\b|atferd|åtferd|kapitel 6",
        "digitalisation": r"digital|ikt\b|ikt-|it-|chromebook|ipad|pc-|nettbrett|læringsplattform|lärplattform|skoleadministrativ|visma|its learning|itslearning|teams\b|google|ki\b|kunstig intelligens|artificiell|sosiale medier|sociala medier|programmering",
        "assessment_results": r"vurdering|vurder|bedöm|nasjonale prøver|nasjonale prøvar|nationella prov|karakter|betyg|eksamen|examen|resultat|kartlegging|kartleggjing|kartläggning|elevundersøking|elevundersøkelsen|meritvärde|grunnskulepoeng|grunnskolepoeng",
        "competence_development": r"kompetanse|kompetens|videreutdanning|vidareutdanning|fortbildning|dekom|desentralisert|regional ordning|rekom|veiled|rettleiing|handled|nyutdann|lærerspesialist|förstelärare|lederutdanning|rektorsutdanning|rektorsprogram|kurs|samling",
        "curriculum": r"læreplan|læreplan|lk20|lk06|fagfornyelse|fagfornying|overordnet del|overordna del|läroplan|kursplan|lgr|ämnesplan|kjerneelement|tverrfaglige tema",
        "finance": r"budsjett|budget|økonomi|ekonomi|statsbidrag|tilskudd|tilskot|midler|midlar|kostnad|kroner|mill\.|ramme|ramma|fordelingsnøkkel|egenandel|finansier|ressurs",
        "special_needs_inclusion": r"spesialundervisning|spesialpedagog|specialpedagog|ppt\b|pp-tjeneste|tilpasset opplæring|tilpassa opplæring|elevhälsa|elevhelse|tidlig innsats|tidleg innsats|stödinsats|särskilt stöd|extra anpassning|inkluder|inklusion|bti\b|sårbare barn|åtgärdsprogram|enkeltvedtak",
        "newcomers_language": r"nyankom|nyanlän|minoritetsspråk|morsmål|modersmål|andrespråk|andraspråk|sva\b|innføringsklasse|introduksjonsklasse|förberedelseklass|studiehandled|tospråklig|språkopplæring|flyktning|asyl",
        "quality_management": r"kvalitet|tilstandsrapport|tilstandsrapport|tilsyn|internkontroll|systematiskt kvalitetsarbete|kvalitetsarbeid|kvalitetsrapport|skolebasert vurdering|skulebasert vurdering|skolinspektion|indikator|årshjul",
        "organisation_governance": r"mandat|organiser|organisation|samarbeidsavtale|samverkansavtal|styringsdokument|skolestruktur|skulestruktur|sammenslå|samanslå|kommunesammenslåing|harmoniser|struktur|vedtekt|reglement|delegasjon|delegation|møteplan|sammanträdesplan",
        "participation_home_school": r"elevråd|foreldre|føresette|foresatte|föräldr|vårdnadshav|elevmedverkan|elevinflytande|fau\b|samarbeidsutval|skolråd|hjem-skole|heim-skule|foreldremøte|föräldramöte",
        "health_wellbeing": r"folkehelse|folkhälsa|psykisk|fravær|fråvær|frånvaro|rus\b|rusforebygg|fysisk aktivitet|skolemat|skolmat|helsesjukepleiar|helsesykepleier|skolsköterska|livsmestring|hälsa|helse|trafikk|legemiddel|medisin",
        "transitions": r"overgang|övergång|rådgiv|yrkesveiledning|yrkesrettleiing|vägledning|gymnasie|videregående|vidaregåande|overgangsrutine|skolestart|skulestart|förskoleklass|ungdomsskole|ungdomsskule|prao|utdanningsval",
        "indigenous_minority": r"samisk|samiska|sámi|sameting|samebyar|kvensk|meänkieli|nasjonale minoritet|nationella minoritet|romani|tornedal|minoritetsspråk",
        "staffing": r"rekrutter|rekryter|lærermangel|lærarmangel|lärarbrist|kompetansekrav|legitimation|behörig|sjukefråvær|sykefravær|sjukfrånvaro|bemanning|lønn|løn\b|lön|tilsetting|ansettelse|anställ|vikar|lærertetthet|lærartettleik|tittel|titlar",
        "early_childhood_afterschool": r"barnehage|förskol|sfo\b|aks\b|fritidshem|skolefritid|skulefritid|aktivitetsskole",
        "privacy_data_protection": r"gdpr|personvern|personopplysning|personuppgift|dataskydd|samtykke|samtykkje|samtycke|databehandl|dpia|taushetsplikt|sekretess|informasjonssikkerhet",
    }.items()
}
#: Topics with few training examples, whose unambiguous keywords add them outright.
RARE = ("learning_environment", "privacy_data_protection", "indigenous_minority", "newcomers_language",
        "early_childhood_afterschool", "transitions", "staffing")


def keyword_counts(text: str, prefix: str = "") -> dict[str, float]:
    """log(1 + hits) of each topic's keywords: what the classifier mostly learns from."""
    import math

    return {f"{prefix}kw={topic}": math.log1p(len(p.findall(text))) for topic, p in KEYWORDS.items() if p.search(text)}


Doc.set_extension("topics", default=[], force=True)
Span.set_extension("topics", default=[], force=True)


def word_features(text: str, prefix: str = "") -> dict[str, float]:
    words = re.findall(r"[\wæøåäöü§]+", text.lower())
    features = {f"{prefix}w={w}": 1.0 for w in words}
    features.update({f"{prefix}b={a}_{b}": 1.0 for a, b in zip(words, words[1:])})
    return features


def section_text(span: Span, text: str | None = None, window: int = 600) -> str:
    """What an item is about: its agenda item's title and text, else the text around it.
    `text` is the doc's text (spaCy rebuilds `doc.text` from the tokens on every access)."""
    text = span.doc.text if text is None else text
    agenda = span._.agenda_item
    if agenda is not None:
        return text[agenda.start : min(agenda.end, agenda.start + 3 * window)]
    return text[max(0, span.start_char - window) : span.end_char + window]


def item_topic_features(span: Span, sections: dict[str, dict[str, float]] | None = None, text: str | None = None) -> dict[str, float]:
    """The clause's own words and, separately, the words of its section (`sections` caches
    each section's features: the items of one agenda item share them)."""
    section = section_text(span, text)
    cached = sections.get(section) if sections is not None else None
    if cached is None:
        cached = {k: v * 0.5 for k, v in word_features(section, "s").items()}
        cached.update(keyword_counts(section, "s"))
        if sections is not None:
            sections[section] = cached
    features = word_features(span.text)
    features.update(cached)
    features.update(keyword_counts(span.text))
    return features


def keyword_topics(text: str, min_hits: int = 1) -> set[str]:
    """Rare topics whose keywords occur at least `min_hits` times."""
    return {topic for topic in RARE if len(KEYWORDS[topic].findall(text)) >= min_hits}


def document_features(text: str) -> dict[str, float]:
    features = word_features(text)
    features.update(keyword_counts(text))
    return features


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
            chosen |= keyword_topics(text, min_hits)
            out.append([t for t in TOPICS if t in chosen])
        return out

    def __call__(self, doc: Doc) -> Doc:
        items = list(doc.spans.get("items", []))
        sections: dict[str, dict[str, float]] = {}
        text = doc.text
        features = [item_topic_features(s, sections, text) for s in items]
        for span, topics in zip(items, self.predict(self.items, features, [s.text for s in items], self.item_threshold)):
            span._.topics = topics
        # A document names a rare topic's keyword in passing; it takes three mentions to count.
        doc_topics = set(self.predict(self.documents, [document_features(text)], [text], self.document_threshold, min_hits=3)[0])
        doc._.topics = [t for t in TOPICS if t in doc_topics]
        return doc
