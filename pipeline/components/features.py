"""Features of a candidate clause for the item classifiers: words, context and parse.

One function, `candidate_features`, used alike in training and at run time, so the two never
drift apart. Features are a dict for scikit-learn's DictVectorizer.
"""
from __future__ import annotations

import re

from spacy.tokens import Span

from ..rules.deadlines import find_deadline

MODALS = {"skal", "skall", "ska", "må", "måste", "vil", "ville", "bør", "burde", "kommer", "skulle", "kan", "får", "behöver", "trenger", "treng", "må"}
PAST = {"har", "hadde", "hade", "var", "ble", "blei", "vart", "blev", "vedtok", "besluttet", "beslutta", "beslöt", "gjennomførte", "hatt", "fått", "vore", "vært", "varit"}
DECISION_CUES = re.compile(
    r"\b(vedtak|vedtas|vedtatt|vedteke|vedtek|godkjen\w*|godkänn\w*|godkänd\w*|beslut\w*|beslutning|konklusjon|konklusion|enige|enig|einige|samde|"
    r"fastsett\w*|fastställ\w*|tas til orientering|takast til orientering|läggs till handlingarna|till handlingarna|utses|velges|valgt|vald|"
    r"tilslutning|tiltrer|slutter seg til|ställer sig bakom|avslå\w*|avslag|utsett\w*|utsätt\w*|bordlegg\w*|innstilling\w*|anser)\b",
    re.IGNORECASE,
)
ACTION_CUES = re.compile(
    r"\b(ansvar\w*|oppfølging|oppfølgjing|uppföljning|frist|innen|innan|senest|seinast|senast|till nästa|til neste|får i uppdrag|"
    r"får i oppdrag|gis i uppdrag|ges i uppdrag|bes om|blir bedt|ble bedt|ombeds|oppfordr\w*|uppmanas|sender|skickar|sjekker|undersøker|"
    r"tar kontakt|kontakter|inviterer|bjuder in|kalla\w* inn|kaller inn|lager|utarbeider|tar fram|tar med|tar opp|följer upp|følger opp|"
    r"fylgjer opp|återkommer|kommer tilbake|komme tilbake|undersöker|förankrar|forankrer|mailar|meddelar|informerer|informerar|videre|vidare|att göra|to do)\b",
    re.IGNORECASE,
)
ROUND_HEADINGS = re.compile(r"kommunerunde|runde|runda|rundan|nytt fra|nytt frå|aktuelt|orientering|information|status|info fra|bordet rundt", re.IGNORECASE)
DECISION_HEADINGS = re.compile(r"vedtak|beslut|konklusjon|konklusion|innstilling|forslag til vedtak|framlegg|protokoll", re.IGNORECASE)
ACTION_HEADINGS = re.compile(r"oppfølging|oppfølgjing|videre|vidare|att göra|to ?do|neste steg|nästa steg|tiltak|åtgärd|ansvar|gjøremål|oppgaver|huskeliste|aksjon", re.IGNORECASE)
_WORD = re.compile(r"[\wæøåäöü]+", re.IGNORECASE)


def candidate_features(span: Span, meeting_date=None) -> dict[str, float]:
    """Features of one candidate span (its doc has run the language pipeline and candidates)."""
    text = span.text
    words = [w.lower() for w in _WORD.findall(text)]
    f: dict[str, float] = {}
    for w in words:
        f[f"w={w}"] = 1.0
    for a, b in zip(words, words[1:]):
        f[f"b={a}_{b}"] = 1.0
    for w in words[:3]:
        f[f"first={w}"] = 1.0
    if words:
        f[f"first1={words[0]}"] = 1.0
    heading = (span._.heading or "").lower()
    for w in _WORD.findall(heading)[:6]:
        f[f"h={w}"] = 1.0
    agenda = span._.agenda_item
    if agenda is not None:
        for w in _WORD.findall(agenda.title.lower())[:6]:
            f[f"a={w}"] = 1.0
    f[f"block={span._.block}"] = 1.0
    f["len"] = min(len(words), 60) / 60
    f["short"] = float(len(words) <= 4)
    f["modal"] = float(any(w in MODALS for w in words))
    f["past"] = float(any(w in PAST for w in words[:6]))
    f["decision_cue"] = float(bool(DECISION_CUES.search(text)))
    f["action_cue"] = float(bool(ACTION_CUES.search(text)))
    f["round_heading"] = float(bool(ROUND_HEADINGS.search(heading)))
    f["decision_heading"] = float(bool(DECISION_HEADINGS.search(heading)))
    f["action_heading"] = float(bool(ACTION_HEADINGS.search(heading)))
    f["label_prefix"] = float(bool(re.match(r"^\s*(vedtak|beslut|beslutning|konklusjon|konklusion|ansvar\w*|oppfølging|att göra)\s*:", text, re.IGNORECASE)))
    f["deadline"] = float(find_deadline(text, meeting_date) is not None)
    f["question"] = float(text.rstrip().endswith("?"))
    f["tab"] = float("\t" in text)
    f["numbered"] = float(bool(re.match(r"^\s*\d{1,2}[.)]\s", text)))
    f["we"] = float(any(w in {"vi", "me", "oss"} for w in words))
    f.update(_parse_features(span))
    return f


def _parse_features(span: Span) -> dict[str, float]:
    """Tense, mood and subject kind from the morphology and dependency parse, when present."""
    f: dict[str, float] = {}
    if not span.doc.has_annotation("MORPH"):
        return f
    roots = [t for t in span if t.head == t or not (span.start <= t.head.i < span.end)]
    verbs = [t for t in roots if t.pos_ in {"VERB", "AUX"}] or [t for t in span if t.pos_ in {"VERB", "AUX"}][:1]
    for verb in verbs[:1]:
        for feature in ("Tense", "VerbForm", "Mood", "Voice"):
            for value in verb.morph.get(feature):
                f[f"root_{feature}={value}"] = 1.0
        if span.doc.has_annotation("DEP"):
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubj:pass", "expl"}:
                    f[f"subj={child.pos_}"] = 1.0
                    f[f"subjdep={child.dep_}"] = 1.0
                if child.dep_ == "aux":
                    f[f"aux={child.lower_}"] = 1.0
    first = span[0] if len(span) else None
    if first is not None and first.pos_:
        f[f"firstpos={first.pos_}"] = 1.0
        for value in first.morph.get("VerbForm"):
            f[f"first_VerbForm={value}"] = 1.0
    return f
