"""Who is to act: `Ansvar:` lines, table columns, requests and clause subjects, and actor kinds."""
from __future__ import annotations

import re

from .. import gazetteer

_ROLE_STEMS = (
    "rektor|skolesjef|skolsjef|skolchef|skuleleiar|oppvekstsjef|oppvekstleder|oppvekstleiar|kommunalsjef|kommunaldirektør|"
    "kommunedirektør|rådmann|rådmenn|utbildningschef|förvaltningschef|förskolechef|verksamhetschef|skoleleder|skoleleiar|"
    "avdelingsleder|enhetsleder|einingsleiar|koordinator|konsulent|rådgiver|rådgjevar|rådgivare|prosjektleder|prosjektleiar|"
    "projektledare|ordfører|ordførar|ordförande|leder|leiar|sekretær|sekreterare|representant|medlem|ledamot|ledamöter|"
    "kontaktlærer|kontaktlærar|lærer|lærar|lärare|pedagog|spesialpedagog|specialpedagog|helsesykepleier|helsesjukepleiar|"
    "kurator|skolsköterska|ansvarlig|ansvarleg|ansvarig|statsforvalter|statsforvaltar|fylkesmann|direktør|direktör|chef|sjef|"
    "veileder|rettleiar|handledare|styrer|styrar|elev|foresatt|forelder|föräldrar|vårdnadshavare"
)
_BODY_STEMS = (
    "grupp|gruppe|utvalg|utval|nämnd|nettverk|nätverk|forum|råd|styre|styrelse|kommunestyre|formannskap|fullmäktige|"
    "kommunstyrelse|administrasjon|förvaltning|sekretariat|kansli|avdeling|avdelning|enhet|ledelse|ledning|region|"
    "fylkeskommune|kommune|kommun|skole|skule|skola|barnehage|förskola|förskole|länsstyrelse|skolverk|skolinspektion|sameting|"
    "ppt-kontor|direktorat|departement"
)
_INFLECTION = r"(?:en|et|ene|er|erne|erna|ar|arna|ane|ne|na|a|n|e|s|t|ets|ens)?"
#: Roles: a word ending in a role noun, inflected (`rektorene`, `skolcheferna`, `kommunalsjefen`).
ROLE = re.compile(rf"^(?:alle\s+|alla\s+|hver\s+|kvar\s+|varje\s+)?[\wæøåäö\-]*(?:{_ROLE_STEMS}){_INFLECTION}$", re.IGNORECASE)
#: Bodies: a word ending in a body noun (`prosjektgruppa`, `nämnden`), or a known acronym.
BODY = re.compile(rf"^(?:alle\s+|alla\s+)?[\wæøåäö\-]*(?:{_BODY_STEMS}){_INFLECTION}$", re.IGNORECASE)
BODY_ACRONYMS = {"fau", "su", "ks", "skr", "uh", "udir", "ppt", "rise", "ntnu", "uit", "hvl", "usn", "statped", "sikt", "skis", "oslomet", "rvts", "nafo"}
_ACRONYM = re.compile(r"^[A-ZÆØÅÄÖ]{2,7}s?$")
_PRONOUNS = {"vi", "me", "det", "dette", "detta", "man", "de", "dei", "den", "han", "hon", "hun", "ho", "jeg", "eg", "jag", "dere", "ni", "alle", "alla", "noen", "nokon", "någon", "saken", "ärendet", "arbeidet", "arbetet", "planen"}
_ANSVAR = re.compile(r"(?:^|[\s(])(?:ansvar|ansvarlig|ansvarleg|ansvarig|ansv\.|hvem|kven|vem|responsible|who)\s*:\s*(?P<who>[^.;\n\t]+)", re.IGNORECASE)
_REQUEST_AFTER = re.compile(
    r"\b(?:ber|bad|oppfordrer|oppmodar|oppmoder|uppmanar|ger|gir|gav|ga)\s+(?P<who>.{2,60}?)\s+(?:om\s+å|om\s+att|til\s+å|att|i\s+uppdrag|i\s+oppdrag)\b",
    re.IGNORECASE,
)
_REQUEST_BEFORE = re.compile(
    r"(?P<who>(?:[\wæøåäöÆØÅÄÖ\-]+\s+){0,4}?[\wæøåäöÆØÅÄÖ\-]+)\s+(?:bes|blir\s+bedt|ble\s+bedt|vart\s+beden|ombeds|uppmanas|oppfordres|oppmodast|"
    r"får\s+i\s+(?:upp|opp)drag|ges\s+i\s+uppdrag|gis\s+i\s+oppdrag|fick\s+i\s+uppdrag|fikk\s+i\s+oppdrag|ansvarar|ansvarer|har\s+ansvar(?:et)?|"
    r"tar\s+ansvar(?:et)?|har\s+pennen|tar\s+på\s+seg|åtar\s+sig)\b",
    re.IGNORECASE,
)
_ENCOURAGED = re.compile(r"\b(?:oppfordres|oppmodast|uppmanas|bes)\s+(?P<who>(?:alle\s+|alla\s+)?[\wæøåäö\-]+(?:\s+[\wæøåäö\-]+)?)\s+(?:til\s+å|att|om\s+å)", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|\s+og\s+|\s+och\s+|\s+&\s+|/|\s+samt\s+)\s*")


def split_actors(text: str) -> list[str]:
    """`Johan och Johanna` → [Johan, Johanna]; `Skövde og Tibro` → two."""
    text = re.sub(r"\s*\(.*?\)", "", text).strip(" .:-–")
    # "var och en i SKIS" / "hver og en" is one actor, not a coordination.
    text = re.sub(r"\b(var|hver|kvar)\s+(och|og)\s+(en|ein)\b", "\\1\u2063\\2\u2063\\3", text, flags=re.IGNORECASE)
    return [p.strip(" .:-–").replace("\u2063", " ") for p in _SPLIT.split(text) if p.strip(" .:-–")]


def kind(name: str, participants: set[str] | None = None) -> str:
    """person, role, body or municipality."""
    first = name.split()[0] if name.split() else name
    if gazetteer.is_municipality(name):
        return "municipality"
    if participants and any(first.lower() == p.split()[0].lower() for p in participants if p.split()):
        return "person"
    last = name.split()[-1]
    if ROLE.match(last) or ROLE.match(name):
        return "role"
    if _is_body(last) or _is_body(name):
        return "body"
    return "person" if name[:1].isupper() else "role"


def _is_body(word: str) -> bool:
    return bool(BODY.match(word) or word.lower() in BODY_ACRONYMS or _ACRONYM.match(word))


def is_actor(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 5 or words[0].lower() in _PRONOUNS and len(words) == 1:
        return False
    last = words[-1]
    return bool(
        gazetteer.is_municipality(name) or ROLE.match(last) or _is_body(last)
        or all(w[:1].isupper() for w in words if w.lower() not in {"og", "och", "von", "van", "de", "af", "av"})
    )


def explicit(text: str) -> list[str]:
    """Actors named by an `Ansvar:` / `Ansvarig:` label."""
    match = _ANSVAR.search(text)
    return [a for a in split_actors(match.group("who")) if is_actor(a)] if match else []


def requested(text: str) -> list[str]:
    """Actors of requests and assignments: `ber rådmannen om å`, `X får i uppdrag att`, `oppfordres alle representantene til å`."""
    for pattern in (_ENCOURAGED, _REQUEST_AFTER, _REQUEST_BEFORE):
        match = pattern.search(text)
        if match:
            actors = [a for a in split_actors(match.group("who")) if is_actor(a)]
            if actors:
                return actors
    return []


def leading_subject(text: str) -> list[str]:
    """The actors opening a clause: `Susanna förmedlar …`, `Skövde och Tibro presenterar …`,
    `Rektorene skal …`, `Kari, Per og Ola lager …` (up to the first verb-like lower-case word)."""
    text = re.sub(r"^\s*(?:\d{1,2}[.)]\s*|[•\-]\s*|(?:vedtak|beslut|konklusjon|konklusion|oppfølging)\s*:\s*)", "", text, flags=re.IGNORECASE)
    words = text.split()
    subject: list[str] = []
    for word in words[:8]:
        bare = word.strip(",.:;()")
        if not bare:
            break
        joins = bare.lower() in {"og", "och", "&"} and subject
        quantified = subject and subject[-1].lower() in {"alle", "alla", "hver", "varje"}
        if bare[:1].isupper() or joins or ((not subject or quantified) and (ROLE.match(bare) or _is_body(bare))):
            subject.append(word.rstrip(".:;()"))
            if word.endswith((".", ":", ";")):
                break
            continue
        break
    while subject and subject[-1].strip(",").lower() in {"og", "och", "&"}:
        subject.pop()
    if not subject or len(subject) == len(words):
        return []
    return [a for a in split_actors(" ".join(subject)) if is_actor(a) and a.lower() not in _PRONOUNS]
