"""Meeting metadata from the header lines of minutes: dates, place, people, body, geography."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import gazetteer
from .timex import FULL_MONTH_NAMES, MONTH_NAMES, MONTHS, expand_year, next_day_month

HEADER_CHARS = 2500  # metadata lines sit at the top of minutes
_YEAR = r"(?:19|20)\d{2}"
_MONTH = r"(?:" + "|".join(MONTH_NAMES) + r")\.?"
_DATE = re.compile(
    rf"(?P<iso>(?P<iy>{_YEAR})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}}))"
    rf"|(?P<num>(?<![\d/.])(?P<nd>\d{{1,2}})\.(?P<nm>\d{{1,2}})\.(?P<ny>{_YEAR}|\d{{2}})(?![\d]))"
    rf"|(?P<txt>(?<!\d)(?P<td>\d{{1,2}})\.?(?:\s+(?:og|och|-|–)\s+\d{{1,2}}\.?)?\s+(?P<tm>{_MONTH})\s*(?P<ty>{_YEAR})?)",
    re.IGNORECASE,
)
_LABEL = r"^\s*(?:{})\s*(?:[:\t]|\s{{2,}})\s*(?P<value>.+)$"
_DATE_LABELS = re.compile(_LABEL.format(r"dato|møtedato|møtedag|tid|tidspunkt|datum|sammanträdesdatum|mötesdatum|tid och plats|tid og stad|tid og sted|when|date"), re.IGNORECASE | re.MULTILINE)
_PLACE_LABELS = re.compile(_LABEL.format(r"sted|stad|møtested|møtestad|plats|mötesplats|lokal|plats och tid|møtestad|where|venue|place"), re.IGNORECASE | re.MULTILINE)
_CHAIR = re.compile(_LABEL.format(r"møteleder|møteleiar|leder|leiar|ordfører|ordførar|ordförande|mötesordförande|ordstyrer|chair"), re.IGNORECASE | re.MULTILINE)
_SECRETARY = re.compile(_LABEL.format(r"referent|sekretær|sekretariat|sekreterare|protokollförare|protokollfører|skrivar|skriver|referat ved|referat|minutes|secretary"), re.IGNORECASE | re.MULTILINE)
_PARTICIPANT_LABELS = re.compile(
    r"^\s*(?:til stede|tilstede|til stades|tilstades|deltakere|deltakarar|deltagere|deltagare|deltok|frammøtte|møtende|møtande|"
    r"møtende medlemmer|møtande medlemmer|til stede fra|närvarande|närvarande ledamöter|beslutande|beslutande ledamöter|ledamöter|"
    r"övriga närvarande|övriga deltagare|present|participants|attendees)\s*(?:[:\t]|\s{2,}|$)\s*(?P<value>.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_STOP_LABEL = re.compile(
    r"^\s*(?:forfall|fravær|frávær|förhinder|frånvarande|meldt forfall|ikke til stede|ikkje til stades|fraværende|absent|apologies|"
    r"sted|stad|plats|tid|dato|datum|referent|sekreterare|sekretær|ordförande|møteleder|saksliste|sakliste|dagsorden|agenda|"
    r"sak\b|§|ärende|\d+[./)]|utses att justera|justerare|justering|kopi|gjester|gäster|inviterte|inbjudna)",
    re.IGNORECASE,
)
_NEXT_MEETING = re.compile(
    r"(?:neste|nästa|næste|nytt|ny|kommende|kommande)\s+(?:møte|möte|sammanträde|samling|nettverksmøte|nettverkssamling|møtedato|mötesdatum|arbeidsmøte)\w*",
    re.IGNORECASE,
)
#: Lines about other meetings' minutes or about the paperwork, whose dates are not this meeting's.
_PREVIOUS = re.compile(r"forrige|førre|föregående|godkjenning|godkjenning|godkänn|justering|justeras|innkalling|kallelse|utsendt|sendt ut|skrevet|signert", re.IGNORECASE)
_PERSON = re.compile(r"^[A-ZÆØÅÄÖÜÉ][\w'’.\-]+(?:\s+(?:[A-ZÆØÅÄÖÜÉ][\w'’.\-]+|von|van|de|af|av))*$")
_ROLE_WORDS = re.compile(r"kommune|kommun|fylke|region|statsforvalter|fylkesmann|länsstyrelsen|skolverket|udir|ks\b|skr\b|universitet|høgskole|högskola", re.IGNORECASE)
_HISTORIC_COUNTIES = {
    "sør-trøndelag": "Trøndelag", "nord-trøndelag": "Trøndelag", "hordaland": "Vestland", "sogn og fjordane": "Vestland",
    "aust-agder": "Agder", "vest-agder": "Agder", "hedmark": "Innlandet", "oppland": "Innlandet",
}
_COUNTY_NAMES = ["Trøndelag", "Vestland", "Agder", "Innlandet", "Nordland", "Rogaland", "Møre og Romsdal", "Troms", "Finnmark",
                 "Akershus", "Buskerud", "Østfold", "Vestfold", "Telemark", "Oslo", "Västra Götaland", "Skåne", "Stockholm",
                 "Uppsala", "Södermanland", "Östergötland", "Jönköping", "Kronoberg", "Kalmar", "Gotland", "Blekinge", "Halland",
                 "Värmland", "Örebro", "Västmanland", "Dalarna", "Gävleborg", "Västernorrland", "Jämtland", "Västerbotten", "Norrbotten"]
#: Municipality names that are also ordinary words or header labels (`Stad:` is Nynorsk for place).
_AMBIGUOUS = {"Stad", "Heim", "Hole", "Re", "Os", "Nes", "Bø", "Vang", "Berg", "Lund", "Ale", "Sande", "Tid", "Moss", "Bo"}
REGIONS = ["Gauldalsregionen", "Værnesregionen", "Trondheimsregionen", "Fosen", "Salten", "Helgeland", "Hadeland", "Valdres",
           "Gjøvikregionen", "Midt-Troms", "Vest-Finnmark", "Nordhordland", "Hardanger", "Sunnhordland", "Jæren", "Haugalandet",
           "Ryfylke", "Setesdal", "Lister", "Kristiansandsregionen", "Grenland", "Vest-Telemark", "Romsdal", "Sunnmøre", "Nordmøre",
           "Sogn", "Sunnfjord", "Nordfjord", "Voss", "Nord-Gudbrandsdal", "Skaraborg", "Fyrbodal", "Sjuhärad", "Göteborgsregionen",
           "Familjen Helsingborg", "Storsthlm", "Norrbottens kommuner", "Region Värmland", "Skånes kommuner", "Vest-regionen"]
_BODY = re.compile(
    r"\b((?:[A-ZÆØÅÄÖ][\w\-]*\s+)?(?:[\w\-]*(?:utvalget|utvalet|utvalg|utval|nämnden|nämnd|forum|forumet|nettverket|nettverk|nätverket|nätverk|"
    r"gruppa|gruppen|gruppe|grupp|rådet|råd|styret|styre|styrgrupp|styringsgruppe|styringsgruppa|møte|möte)"
    r"(?:\s+(?:for|för|i|skole|skule|skola|oppvekst|utbildning)\s*[\wæøåäö\-]*)?|FAU|SU|SKIS|SIKT))\b"
)


@dataclass
class Metadata:
    title: str | None = None
    body: str | None = None
    meeting_date: date | None = None
    next_meeting_date: date | None = None
    place: str | None = None
    participants: list[tuple[str, str | None]] = field(default_factory=list)
    chair: str | None = None
    secretary: str | None = None
    country: str | None = None
    county: str | None = None
    region: str | None = None
    municipalities: list[str] = field(default_factory=list)
    #: What deadlines are resolved against: the meeting date, else the latest date the
    #: document states (never output as the meeting date).
    reference_date: date | None = None


def parse_date(text: str, after: date | None = None) -> date | None:
    """The first full date in `text`; a year-less textual date takes its year from `after`."""
    for match in _DATE.finditer(text):
        try:
            if match.group("iso"):
                return date(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
            if match.group("num"):
                return date(expand_year(int(match.group("ny"))), int(match.group("nm")), int(match.group("nd")))
            month = MONTHS[match.group("tm").lower().rstrip(".")]
            if match.group("ty"):
                return date(int(match.group("ty")), month, int(match.group("td")))
            if after:
                return next_day_month(int(match.group("td")), month, after)
        except ValueError:
            continue
    return None


def meeting_date(text: str, source: str | None = None) -> date | None:
    """From labelled lines (`Dato:`, `Tid:`, `Sammanträdesdatum`), then the title lines, then the
    header, then the file name; lines about earlier minutes are skipped."""
    header = text[:HEADER_CHARS]
    for match in _DATE_LABELS.finditer(header):
        found = parse_date(match.group("value"))
        if found:
            return found
    lines = [line for line in header.split("\n") if line.strip()]
    for line in lines[:6] + lines[6:40]:
        if _PREVIOUS.search(line) or _NEXT_MEETING.search(line):
            continue
        found = parse_date(line)
        if found:
            return found
    if source:
        name = re.sub(r"[_]", "-", source.rsplit("/", 1)[-1])
        found = parse_date(name)
        if found:
            return found
    return None


def latest_date(text: str) -> date | None:
    """The latest full date in the text, counting case numbers (`1/2022` → 2022-01-01)."""
    found = []
    for match in _DATE.finditer(text):
        if match.group("txt") and not match.group("ty"):
            continue
        value = parse_date(match.group())
        if value:
            found.append(value)
    found += [date(int(y), 1, 1) for y in re.findall(r"(?m)^(?:Sak\s+)?\d{1,3}/((?:19|20)\d{2})\b", text)]
    return max(found) if found else None


def next_meeting_date(text: str, meeting: date | None) -> date | None:
    for match in _NEXT_MEETING.finditer(text):
        window = text[match.end() : match.end() + 120].split("\n\n")[0]
        found = parse_date(window, after=meeting) or _weekday_date(window, meeting)
        if found and (meeting is None or found > meeting):
            return found
    return None


def _weekday_date(window: str, meeting: date | None) -> date | None:
    match = re.search(rf"(?<![\d.])(\d{{1,2}})\.(\d{{1,2}})\.?(?![\d])", window)
    if match and meeting:
        try:
            return next_day_month(int(match.group(1)), int(match.group(2)), meeting)
        except ValueError:
            return None
    return None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text[:HEADER_CHARS])
    if not match:
        return None
    value = match.group("value").strip().strip(".").strip()
    return value or None


def place(text: str) -> str | None:
    value = _first(_PLACE_LABELS, text)
    if value:
        value = re.sub(r",?\s*(?:kl\.?|klokka|klockan)\s*[\d.:\s–\-]+.*$", "", value).strip(" ,")
        value = re.sub(r"^\d{1,2}\.\d{1,2}\.\d{2,4},?\s*", "", value)
    return value or None


def person(value: str | None) -> str | None:
    """The name in `Leder: Kari Nordmann (Melhus)` or `Ordförande: Johan Wernvik, Tibro`."""
    if not value:
        return None
    name = re.split(r"\s*[(,;–]\s*|\s+-\s+", value)[0].strip(" .")
    return name if _PERSON.match(name) and len(name.split()) <= 5 else None


def participants(text: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for match in _PARTICIPANT_LABELS.finditer(text[: HEADER_CHARS * 2]):
        chunk = [match.group("value")]
        for line in text[match.end() :].split("\n")[1:25]:
            if not line.strip() or _STOP_LABEL.match(line) or _PARTICIPANT_LABELS.match(line):
                if line.strip() or len(chunk) > 1:
                    break
                continue
            chunk.append(line)
        for name, affiliation in _split_people(" \n".join(chunk)):
            if name.lower() not in seen:
                seen.add(name.lower())
                out.append((name, affiliation))
    return out


def _split_people(chunk: str) -> list[tuple[str, str | None]]:
    """People in a participant list: one per line when the list has lines (`Name, role, place`),
    else separated by commas, semicolons and `og`/`och` (`Kari (Melhus), Per (Oppdal) og Ola`)."""
    lines = [line for line in chunk.split("\n") if line.strip()]
    parts = []
    for line in lines:
        pieces = re.split(r"\s*(?:;|,(?![^()]*\))|\s+og\s+|\s+och\s+|\s+and\s+)\s*", line)
        people_like = sum(1 for p in pieces if _PERSON.match(re.sub(r"\s*\(.*", "", p).strip(" .")) and len(p.split()) >= 2)
        parts += pieces if len(lines) == 1 or people_like >= 2 else [line]
    people = []
    for part in parts:
        part = part.strip(" .•-–\t")
        if not part:
            continue
        m = re.match(r"^(?P<name>[^()\t,]+?)\s*\((?P<aff>[^)]+)\)", part) or re.match(r"^(?P<name>[^,\t–]+?)\s*(?:[,\t–]|\s-\s)\s*(?P<aff>.+)$", part)
        name, affiliation = (m.group("name").strip(), m.group("aff").strip()) if m else (part, None)
        if _PERSON.match(name) and 2 <= len(name.split()) <= 5 and not _ROLE_WORDS.search(name):
            people.append((name, affiliation))
    return people


def municipalities(text: str, people: list[tuple[str, str | None]]) -> list[str]:
    """Municipalities named as participants' affiliations or as `X kommune` / `X kommun` in the text."""
    found: list[str] = []
    for _, affiliation in people:
        if affiliation:
            for piece in re.split(r"[,/()]|\s+og\s+|\s+och\s+|\s+i\s+|\s+v/\s*", affiliation):
                name = re.sub(r"\s+(?:kommune|kommun|kommunes|kommuns)$", "", piece.strip(), flags=re.IGNORECASE)
                if gazetteer.is_municipality(name):
                    found.append(_canonical(name))
    for match in re.finditer(r"\b([A-ZÆØÅÄÖ][\w\-]+(?:\s[A-ZÆØÅÄÖ][\w\-]+)?)\s+(?:kommune|kommun|kommunes|kommuns)\b", text):
        if gazetteer.is_municipality(match.group(1)):
            found.append(_canonical(match.group(1)))
    # A municipality alone on a (list) line, or opening a line in a round: `• Gjøvik`, `Melhus:`,
    # and lines that list municipalities: `• Haugesund, Karmøy, Tysvær og Bokn`.
    for line in text[: HEADER_CHARS * 4].split("\n"):
        line = line.strip("• \t")
        head = re.match(r"^([A-ZÆØÅÄÖ][\w\-]+(?:\s(?:og\s)?[A-ZÆØÅÄÖ]?[\w\-]+){0,2})\s*(?::|$)", line)
        if head and head.group(1) not in _AMBIGUOUS and gazetteer.is_municipality(head.group(1)):
            found.append(_canonical(head.group(1)))
        pieces = [p.strip(" .") for p in re.split(r",|\s+og\s+|\s+och\s+", line) if p.strip(" .")]
        if len(pieces) >= 2 and all(gazetteer.is_municipality(p) for p in pieces):
            found += [_canonical(p) for p in pieces]
    return list(dict.fromkeys(found))


def _canonical(name: str) -> str:
    entries = gazetteer.lookup(name)
    return entries[0].name if entries else name


def region(text: str) -> str | None:
    header = text[: HEADER_CHARS * 2]
    hits = [(header.find(r), r) for r in REGIONS if re.search(rf"\b{re.escape(r)}\b", header)]
    return min(hits)[1] if hits else None


def county_in_text(text: str) -> str | None:
    header = text[: HEADER_CHARS * 2]
    for historic, today in _HISTORIC_COUNTIES.items():
        if re.search(rf"\b{re.escape(historic)}\b", header, re.IGNORECASE):
            return today
    hits = [(header.find(c), c) for c in _COUNTY_NAMES if re.search(rf"\b{re.escape(c)}s?\b", header)]
    return min(hits)[1] if hits else None


def title(text: str) -> str | None:
    for line in text.split("\n")[:5]:
        line = line.strip(" #\t")
        if len(line) >= 6 and not _DATE_LABELS.match(line):
            return re.sub(r"\s+", " ", line)[:150]
    return None


def body(text: str) -> str | None:
    for line in text.split("\n")[:8]:
        match = _BODY.search(line)
        if match:
            return match.group(1).strip()
    return None


def _marked(people: list[tuple[str, str | None]], role: str) -> str | None:
    """The participant whose affiliation marks the role: `Kine Sandvik, koordinator (referent)`."""
    return next((name for name, affiliation in people if affiliation and re.search(role, affiliation, re.IGNORECASE)), None)


def extract(text: str, language: str, source: str | None = None) -> Metadata:
    """All metadata of a document."""
    meta = Metadata(title=title(text), body=body(text), place=place(text))
    meta.meeting_date = meeting_date(text, source)
    meta.reference_date = meta.meeting_date or latest_date(text)
    meta.next_meeting_date = next_meeting_date(text, meta.reference_date)
    meta.participants = participants(text)
    meta.chair = person(_first(_CHAIR, text)) or _marked(meta.participants, r"\b(?:leder|leiar|ordförande|møteleder|ordstyrer)\b")
    meta.secretary = person(_first(_SECRETARY, text)) or _marked(meta.participants, r"\b(?:referent|sekretær|sekreterare|skrivar)\b")
    meta.municipalities = municipalities(text, meta.participants)
    hint = {"nb": "NO", "nn": "NO", "sv": "SE"}.get(language)
    country, county = gazetteer.resolve(meta.municipalities, hint)
    meta.country = hint or country
    meta.county = county if country == meta.country else None
    meta.county = meta.county or (county_in_text(text) if meta.country else None)
    meta.region = region(text)
    return meta
