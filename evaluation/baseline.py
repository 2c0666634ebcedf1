"""Keyword baseline: cue words per item type, no learning. The floor every report shows.

Sentences are split on newlines and sentence punctuation; a sentence holding a decision cue
is a decision, one holding an action cue is an action (it may be both). The cue lists are
the common Norwegian (nb/nn) and Swedish phrasings from ANNOTATION.md and general usage;
they are not tuned on any labelled document. The output has the `extract_file` shape.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Optional

from evaluation.tokens import tokens

# --- cue lists ---------------------------------------------------------------------------

DECISION_CUES = [
    # nb / nn
    r"vedtak", r"vedtatt", r"vedteke", r"vedtas", r"vedtek", r"godkjent", r"godkjend",
    r"godkjennes", r"godkjenner", r"godkjent[e]?", r"enige?", r"einige?", r"enighet", r"semje",
    r"beslutning", r"besluttet", r"beslutta", r"bestemt", r"konklusjon", r"konkluder\w*",
    r"tas til orientering", r"tatt til orientering", r"takast til vitande", r"innstillingen",
    # sv
    r"beslut", r"beslutar", r"beslöt", r"beslutade[s]?", r"beslutas", r"godkänn[as]?",
    r"godkändes", r"godkänd[a]?", r"fastställ\w*", r"enades", r"överens", r"läggs till handlingarna",
    r"lades till handlingarna", r"justerare", r"valdes", r"väljer", r"tillstyrk\w*",
]
ACTION_CUES = [
    # nb / nn
    r"skal", r"må", r"ansvar", r"ansvarlig", r"ansvarleg", r"frist", r"innen", r"innan",
    r"får i oppdrag", r"fikk i oppdrag", r"oppfølging", r"følger opp", r"følgjer opp",
    r"oppfordr\w*", r"sørger for", r"syter for", r"neste steg", r"videre arbeid",
    r"vidare arbeid", r"hva skjer videre", r"til neste møte", r"til neste møte",
    # sv
    r"ska", r"skall", r"måste", r"ansvarig", r"ansvarar", r"senast", r"får i uppdrag",
    r"fick i uppdrag", r"att göra", r"kommer att", r"uppdras", r"tar fram", r"återkommer",
    r"till nästa möte", r"nästa steg", r"fortsatt arbete",
]


def _cue_re(cues: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)


DECISION_RE = _cue_re(DECISION_CUES)
ACTION_RE = _cue_re(ACTION_CUES)
LABEL_ONLY = re.compile(r"^\s*(vedtak|beslut|beslutning|konklusjon|ansvar\w*|oppfølging|att göra)\s*:?\s*$", re.I)

# --- dates -------------------------------------------------------------------------------

MONTHS = {
    "jan": 1, "januar": 1, "januari": 1, "feb": 2, "februar": 2, "februari": 2, "mar": 3,
    "mars": 3, "apr": 4, "april": 4, "mai": 5, "maj": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7,
    "aug": 8, "august": 8, "augusti": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10,
    "oktober": 10, "nov": 11, "november": 11, "des": 12, "desember": 12, "dec": 12, "december": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH})\.?(?:\s+(\d{{4}}))?\b", re.I)
NUMERIC = re.compile(r"\b(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\b")
MONTH_ONLY = re.compile(rf"\b(?:i|in|under|innen|senast|till?)\s+({_MONTH})\b(?:\s+(\d{{4}}))?", re.I)
DEADLINE = re.compile(
    r"(?<!\w)(?:innen|innan|senast|før|före|frist|til neste møte|till nästa möte|i neste møte|"
    r"på nästa möte|sista anmälningsdag)\b(?:[^.;:!?\n]|(?<=\d)\.){0,40}", re.I)


def _safe(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_meeting_date(text: str) -> Optional[str]:
    """The first full date (ISO, "10. mars 2016", "14 maj 2020", "02.02.2018") near the top."""
    head = text[:1500]
    found: list[tuple[int, date]] = []
    for m in ISO_DATE.finditer(head):
        d = _safe(int(m[1]), int(m[2]), int(m[3]))
        if d:
            found.append((m.start(), d))
    for m in DAY_MONTH.finditer(head):
        if m[3]:
            d = _safe(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
            if d:
                found.append((m.start(), d))
    for m in NUMERIC.finditer(head):
        if m[3] and len(m[3]) == 4:
            d = _safe(int(m[3]), int(m[2]), int(m[1]))
            if d:
                found.append((m.start(), d))
    return min(found)[1].isoformat() if found else None


def resolve_date(expr: str, meeting: Optional[str]) -> Optional[str]:
    """Resolve a deadline expression: a day (with or without year) or a month; else None."""
    ref = date.fromisoformat(meeting) if meeting else None
    m = DAY_MONTH.search(expr)
    if m:
        day, month = int(m[1]), MONTHS[m[2].lower()]
        year = int(m[3]) if m[3] else (ref.year if ref else None)
    else:
        m = NUMERIC.search(expr)
        if not m:
            mo = MONTH_ONLY.search(expr)
            if not mo or not (mo[2] or ref):
                return None
            month = MONTHS[mo[1].lower()]
            year = int(mo[2]) if mo[2] else ref.year + (month < ref.month)  # type: ignore[union-attr]
            return f"{year:04d}-{month:02d}"
        day, month = int(m[1]), int(m[2])
        year = (int(m[3]) + (2000 if len(m[3]) == 2 else 0)) if m[3] else (ref.year if ref else None)
    if year is None:
        return None
    d = _safe(year, month, day)
    if d and ref and not m[3] and d < ref:
        d = _safe(year + 1, month, day)
    return d.isoformat() if d else None


# --- document level ----------------------------------------------------------------------

LANG_WORDS = {
    "nb": {"ikke", "hva", "hvordan", "også", "være", "ble", "jeg", "mye", "hvis", "fra", "hver", "noen", "etter"},
    "nn": {"ikkje", "kva", "korleis", "òg", "vere", "vart", "eg", "mykje", "frå", "kvar", "nokon", "ein", "eit"},
    "sv": {"inte", "vad", "hur", "också", "vara", "blev", "jag", "mycket", "från", "varje", "och", "är", "att"},
}

TOPIC_CUES = {
    "learning_environment": r"læringsmiljø|skolemiljø|skolmiljö|mobbing|mobbning|kränkande|9a|trivsel|studiero",
    "digitalisation": r"digital\w*|ikt|it-\w+|chromebook|ipad|læringsplattform|lärplattform",
    "assessment_results": r"vurdering\w*|bedömning|nasjonale prøver|nationella prov|karakter\w*|betyg|eksamen|resultat\w*",
    "competence_development": r"kompetanse\w*|kompetensutveckling|videreutdanning|fortbildning|dekom|veiled\w*|handled\w*",
    "curriculum": r"læreplan\w*|lk20|fagfornyelse\w*|läroplan\w*|kursplan\w*",
    "finance": r"budsjett\w*|budget\w*|økonomi\w*|ekonomi\w*|statsbidrag|tilskudd|midler|kostnad\w*",
    "special_needs_inclusion": r"spesialundervisning|specialpedagog\w*|ppt|tilpasset opplæring|elevhälsa\w*|tidlig innsats|stödinsatser",
    "newcomers_language": r"nyankomne|nyanlända|minoritetsspråklige|morsmål\w*|modersmål\w*|sfi|studiehandled\w*",
    "quality_management": r"kvalitet\w*|tilstandsrapport|tilsyn|internkontroll|systematiskt kvalitetsarbete",
    "organisation_governance": r"mandat\w*|organiser\w*|organisation|samarbeidsavtale|styringsdokument\w*|skolestruktur",
    "participation_home_school": r"elevråd|elevråd\w*|foreldre\w*|föräldr\w*|elevmedverkan|elevinflytande|fau",
    "health_wellbeing": r"folkehelse|folkhälsa|psykisk helse|psykisk hälsa|fravær|frånvaro|rus\w*|fysisk aktivitet",
    "transitions": r"overgang\w*|övergång\w*|rådgiv\w*|studie- og yrkesveiledning|vägledning|gymnas\w*|videregående",
    "indigenous_minority": r"samisk\w*|nasjonale minoriteter|nationella minoriteter|kvensk|meänkieli",
    "staffing": r"rekruttering|rekrytering|lærermangel|lärarbrist|behörighet|kompetansekrav|sykefravær|sjukfrånvaro|lønn|lön",
    "early_childhood_afterschool": r"barnehage\w*|förskola\w*|sfo|aks|fritidshem\w*",
    "privacy_data_protection": r"gdpr|personvern|personuppgift\w*|dataskydd|samtykke\w*",
}
TOPIC_RE = {t: re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.I) for t, p in TOPIC_CUES.items()}


def guess_language(text: str) -> str:
    """nb, nn or sv by counting distinctive function words; "und" when none occur."""
    toks = tokens(text)
    counts = {lang: sum(t in words for t in toks) for lang, words in LANG_WORDS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "und"


def topics_of(text: str, min_hits: int = 1) -> list[str]:
    return [t for t, rx in TOPIC_RE.items() if len(rx.findall(text)) >= min_hits]


# --- items -------------------------------------------------------------------------------

SENT_BREAK = re.compile(r"\n|(?<=[.!?;])\s+(?=[A-ZÆØÅÄÖÉ0-9«\"(•–-])")
ACTOR = re.compile(
    r"^\s*((?:[A-ZÆØÅÄÖ][\w-]+)(?:\s+(?:og|och|,)\s*[A-ZÆØÅÄÖ][\w-]+)*)\s+"
    r"(?:skal|ska|skall|må|måste|kommer att|ansvarar|får i uppdrag|får i oppdrag|følger opp)\b")
ANSVAR = re.compile(r"\b(?:ansvar|ansvarlig|ansvarig|ansvarleg)\s*:\s*([^.;\n]+)", re.I)
NOT_ACTORS = {"vi", "det", "dette", "den", "man", "de", "dere", "ni", "detta", "denna", "alle", "alla",
              "här", "her", "vil", "eg", "jag", "jeg", "da", "då", "nå", "nu", "så", "hur", "hva",
              "hvordan", "kva", "korleis", "vad", "när", "når", "om", "og", "och", "men", "dessutom"}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences: split on newlines and sentence punctuation, a bare
    "Vedtak:"-style label joined to the sentence after it."""
    spans, pos = [], 0
    for m in list(SENT_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        seg = text[pos:end]
        s = pos + len(seg) - len(seg.lstrip())
        e = pos + len(seg.rstrip())
        if e > s:
            spans.append((s, e))
        pos = m.end() if m else len(text)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and LABEL_ONLY.match(text[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _kind(name: str) -> str:
    if name.isupper():
        return "body"
    return "person" if name[:1].isupper() and not name.lower().endswith(("en", "ene", "erna", "na")) else "role"


def responsible_of(sentence: str) -> list[dict]:
    """Actors from an "Ansvar: X" label or a capitalised subject before a modal verb."""
    m = ANSVAR.search(sentence)
    raw = m[1] if m else (ACTOR.match(sentence)[1] if ACTOR.match(sentence) else "")
    names = [n.strip() for n in re.split(r",|\bog\b|\boch\b|/", raw) if n.strip()]
    return [{"name": n, "kind": _kind(n)} for n in names if n.lower() not in NOT_ACTORS]


def deadline_of(sentence: str, meeting: Optional[str]) -> Optional[dict]:
    m = DEADLINE.search(sentence) or DAY_MONTH.search(sentence) or MONTH_ONLY.search(sentence)
    if not m:
        return None
    expr = m[0].strip()
    return {"text": expr, "date": resolve_date(expr, meeting)}


def read_text(path: Path) -> str:
    data = Path(path).read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def extract_text(text: str, source: str = "") -> dict:
    """Baseline extraction from a text, in the `minutes extract` shape."""
    lang = guess_language(text)
    meeting = find_meeting_date(text)
    items = []
    for s, e in sentences(text):
        sent = text[s:e]
        if len(tokens(sent)) < 3 or sent.startswith("#"):
            continue
        base = {"text": sent, "start": s, "end": e, "agenda_item": None,
                "topics": topics_of(sent), "confidence": 0.5}
        if DECISION_RE.search(sent):
            items.append({"type": "decision", **base, "responsible": [], "deadline": None})
        if ACTION_RE.search(sent) and not sent.endswith("?"):
            items.append({"type": "action", **base, "responsible": responsible_of(sent),
                          "deadline": deadline_of(sent, meeting)})
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    return {
        "schema_version": 1,
        "document": {
            "id": hashlib.sha256(text.encode("utf-8")).hexdigest(), "source": source,
            "language": lang, "title": first_line, "body": None, "meeting_date": meeting,
            "next_meeting_date": None, "place": None, "participants": [], "chair": None,
            "secretary": None, "country": {"nb": "NO", "nn": "NO", "sv": "SE"}.get(lang),
            "county": None, "region": None, "municipalities": [], "topics": topics_of(text, 2),
        },
        "agenda_items": [],
        "items": items,
        "text": text,
    }


def extract_file(path: Path) -> dict:
    """Baseline extraction from a plain-text file (same contract as pipeline.extract)."""
    return extract_text(read_text(path), str(path))
