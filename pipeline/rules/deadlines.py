"""Deadlines of actions: find the expression and resolve its date (ANNOTATION.md rules 1-7).

`find_deadline(text, ...)` returns the expression as written, its offsets in `text` and its date
(`YYYY-MM-DD`, `YYYY-MM` or None). Dates that are not deadlines are skipped: effective dates
("fra 1. august", "från och med"), clock times, case numbers, years alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .timex import (
    FULL_MONTH_NAMES,
    MONTH_NAMES,
    MONTHS,
    WEEKDAY_NAMES,
    WEEKDAYS,
    expand_year,
    iso_month,
    last_day,
    next_day_month,
    next_month,
    next_weekday,
    parse_day_month,
    week_month,
)

_MONTH = r"(?:" + "|".join(MONTH_NAMES) + r")\.?"
_FULL_MONTH = r"(?:" + "|".join(FULL_MONTH_NAMES) + r")"
_WEEKDAY = r"(?:" + "|".join(WEEKDAY_NAMES) + r")"
_MEETING_NOUN = (
    r"(?:\w*møte(?:t)?|\w*möte(?:t)?|\w*sammanträde(?:t)?|sammankomst(?:en)?|\w*samling(?:a|en)?"
    r"|arbetsmöte(?:t)?|styremøte(?:t)?|utvalsmøte(?:t)?|utvalgsmøte(?:t)?|nämndmöte(?:t)?)"
)
_YEAR = r"(?:19|20)\d{2}"

# Each kind of time expression, most specific first. Named groups carry what resolution needs.
_NUMERIC = rf"(?P<nd>\d{{1,2}})[./](?P<nm>\d{{1,2}})(?:[./-](?P<ny>{_YEAR}|\d{{2}})(?!\d))?\.?(?![\d/])"
_ISO = rf"(?P<iy>{_YEAR})-(?P<im>\d{{2}})-(?P<id>\d{{2}})"
_TEXTUAL = rf"(?:den\s+)?(?P<td>\d{{1,2}})\.?\s+(?P<tm>{_MONTH})(?:\s+(?P<ty>{_YEAR}))?"
_END = (
    rf"(?:(?:utgangen|utgongen|slutten|slutet|enden)\s+(?:av|på|of)\s+(?:(?P<em>{_FULL_MONTH})(?:\s+(?P<ey>{_YEAR}))?|(?P<eyear>året|år(?:et)?\s+{_YEAR}|{_YEAR}|skoleåret|skuleåret|läsåret|terminen|semesteret|halvåret))"
    rf"|(?P<newyear>årsskiftet|nyttår|nyår|årets\s+slutt|årsslutt))"
)
_MEETING = (
    rf"(?:(?:neste|nästa|næste|kommende|kommande|førstkommende|påfølgjande|påfølgende|følgjande)\s+{_MEETING_NOUN}"
    rf"(?:\s+i\s+[\wæøåäö\-]+)?(?:\s+(?:i|den)\s+(?P<mm>{_FULL_MONTH}))?"
    rf"|{_MEETING_NOUN}\s+i\s+(?P<mm2>{_FULL_MONTH})"
    rf"|(?P<mm3>{_FULL_MONTH})-?{_MEETING_NOUN})"
)
_WEEK = r"(?:(?:uke|veke|vecka|v\.|v)\s*(?P<wk>\d{1,2})(?!\d)|(?P<nextweek>neste\s+uke|neste\s+veke|nästa\s+vecka|kommande\s+vecka))"
_WEEKDAY_EXPR = rf"(?P<wd>{_WEEKDAY})(?!\s+(?:den\s+)?\d)"
_MONTH_EXPR = rf"(?P<mo>{_FULL_MONTH})(?:\s+(?P<my>{_YEAR}))?(?![\wæøåäö])"
_SEASON = (
    r"(?P<season>(?:vinter|høst|haust|sommer|påske|jule?|vår|sportlovs?|sport|påsk|höst|sommar|jul|vinter)"
    r"(?:ferien|ferie|lovet|lov|en|n|a)?(?:\s+(?:19|20)\d{2})?|skolestart(?:en)?|skulestart(?:en)?|skolstart(?:en)?|semesterstart(?:en)?"
    r"|budsjettbehandling(?:en|a)?|budgetberedning(?:en)?)"
)
_TODAY = r"(?P<today>i\s*dag|idag|i\s+morgen|imorgon|i\s+morgon)"
_VAGUE = (
    r"(?P<vague>snarest(?:\s+mulig)?|snarast(?:\s+möjligt)?|så\s+snart\s+som\s+(?:mulig|möjligt)|fortløpende|løpande|løpende|fortlöpande|omgående|straks|umiddelbart"
    r"|(?:når|når|när|etter\s+hvert\s+som|etter\s+kvart\s+som|efter\s+hand\s+som|så\s+snart|etter\s+at|efter\s+att|innan\s+(?=\w+\s+(?:er|är|blir|har))|før\s+(?=\w+\s+(?:er|blir|har)))\s*[^.;:!?\n]{3,70})"
)
_STRONG_CUE = (
    r"(?:innen|innan|inom|senest(?:\s+den)?|seinast(?:\s+den)?|senast(?:\s+den)?|før|fyre|före|frist(?:en)?(?:\s+(?:er|är|blir|vert|sett\s+til|satt\s+til))?"
    r"|deadline(?:\s+(?:er|är))?|sista\s+\w*dag(?:en)?\s+(?:er|är)|siste\s+\w*dag\s+er|till?(?:\s+og\s+med)?|t\.o\.m\.?|by)"
)
_WEAK_CUE = r"(?:i|på|under|vid|ved|om|innen\s+utgangen\s+av|den|i\s+løpet\s+av|i\s+løpet\s+av|under\s+løpet\s+av|i\s+slutten\s+av|utover)"
_EXCLUDE_BEFORE = re.compile(
    r"(?:\bfra(?:\s+og\s+med)?|\bfrå(?:\s+og\s+med)?|\bfrån(?:\s+och\s+med)?|\bf\.o\.m\.?|\bgjeld(?:ende|ande)\s+fra|\bgäller\s+från|\bsiden|\bsedan|\bkl\.?|\bklokka|\bklockan|\bsak|\bdnr|\bnr\.?|\bpå\s+grunn\s+av|\better|\befter)\s*$",
    re.IGNORECASE,
)

_KINDS = [_ISO, _TEXTUAL, _NUMERIC, _END, _MEETING, _WEEK, _WEEKDAY_EXPR, _MONTH_EXPR, _TODAY, _SEASON, _VAGUE]
_PATTERN = re.compile(
    rf"(?P<cue>\b(?:{_STRONG_CUE}|{_WEAK_CUE})[^\S\t\n]+)?(?P<expr>" + "|".join(f"(?:{k})" for k in _KINDS) + r")",
    re.IGNORECASE,
)
_STRONG = re.compile(rf"^{_STRONG_CUE}\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    text: str
    start: int
    end: int
    date: str | None


def find_deadline(text: str, meeting: date | None, next_meeting: date | None = None, language: str = "nb") -> Deadline | None:
    """The deadline expression of an action text, resolved against the meeting date."""
    best: tuple[int, Deadline] | None = None
    for match in _PATTERN.finditer(text):
        if not _word_bounded(text, match):
            continue
        if _EXCLUDE_BEFORE.search(text[max(0, match.start() - 25) : match.start()]) and not match.group("cue"):
            continue
        if match.group("cue") and _EXCLUDE_BEFORE.search(text[max(0, match.start("expr") - 25) : match.start("expr")]):
            continue
        groups = match.groupdict()
        if groups.get("nm") and not _valid_numeric(groups):
            continue
        cue = match.group("cue") or ""
        vague = bool(groups.get("vague") or groups.get("season"))
        if vague and not cue and not groups.get("vague"):
            continue  # "høsten" alone is a time of activity, not a deadline
        strength = 3 if _STRONG.match(cue) else 2 if groups.get("mm") or groups.get("mm2") or groups.get("mm3") or _is_meeting(match) else 1 if cue or groups.get("vague") or groups.get("today") or groups.get("nextweek") else 0
        if strength == 0 and _fills_cell(text, match):
            strength = 1  # the deadline column of a to-do table
        if strength == 0 and not (groups.get("nd") or groups.get("td") or groups.get("iy")):
            continue  # a bare month or weekday without any cue is too weak
        start, end = match.start(), match.end()
        while end > start and text[end - 1] in " .,;" and not re.search(r"\d\.\d{1,2}\.$|\b\w{3}\.$", text[start:end]):
            end -= 1
        deadline = Deadline(text=text[start:end], start=start, end=end,
                            date=resolve(groups, match.group("expr"), meeting, next_meeting, language))
        if best is None or strength > best[0]:
            best = (strength, deadline)
    return best[1] if best else None


def resolve(groups: dict, expr: str, meeting: date | None, next_meeting: date | None, language: str) -> str | None:
    """Apply rules 1-7 of ANNOTATION.md to one matched expression."""
    lower = expr.lower()
    if groups.get("iy"):
        return f"{groups['iy']}-{groups['im']}-{groups['id']}"
    if groups.get("td"):
        parsed = parse_day_month(expr, language)
        day, month, year = parsed if parsed else (int(groups["td"]), MONTHS[groups["tm"].lower().rstrip(".")], None)
        if groups.get("ty"):
            year = int(groups["ty"])
        return _day(day, month, year, meeting)
    if groups.get("nd"):
        year = expand_year(int(groups["ny"])) if groups.get("ny") else None
        return _day(int(groups["nd"]), int(groups["nm"]), year, meeting)
    if groups.get("em") or groups.get("eyear") or groups.get("newyear"):
        if groups.get("em"):
            month = MONTHS[groups["em"].lower().rstrip(".")]
            if groups.get("ey"):
                return last_day(int(groups["ey"]), month).isoformat()
            return last_day(*next_month(month, meeting)).isoformat() if meeting else None
        year_match = re.search(_YEAR, lower)
        if year_match:
            return date(int(year_match.group()), 12, 31).isoformat()
        if groups.get("newyear") or lower.endswith(("året", "året")):
            return date(meeting.year, 12, 31).isoformat() if meeting else None
        return None  # end of a school year or term: a season
    meeting_month = groups.get("mm") or groups.get("mm2") or groups.get("mm3")
    if meeting_month or _is_meeting_expr(lower):
        if next_meeting and (not meeting_month or next_meeting.month == MONTHS[meeting_month.lower().rstrip(".")]):
            if not meeting or next_meeting >= meeting:
                return next_meeting.isoformat()
        if meeting_month and meeting:
            return iso_month(*next_month(MONTHS[meeting_month.lower().rstrip(".")], meeting))
        return None
    if groups.get("wk") or groups.get("nextweek"):
        if not meeting:
            return None
        if groups.get("nextweek"):
            week = (meeting.isocalendar()[1] % 52) + 1
            found = week_month(week, meeting)
        else:
            found = week_month(int(groups["wk"]), meeting)
        return iso_month(*found) if found else None
    if groups.get("today"):
        if not meeting:
            return None
        return (meeting if "dag" in lower else meeting.fromordinal(meeting.toordinal() + 1)).isoformat()
    if groups.get("wd"):
        return next_weekday(WEEKDAYS[groups["wd"].lower()], meeting).isoformat() if meeting else None
    if groups.get("mo"):
        month = MONTHS[groups["mo"].lower().rstrip(".")]
        if groups.get("my"):
            return iso_month(int(groups["my"]), month)
        return iso_month(*next_month(month, meeting)) if meeting else None
    return None  # seasons, holidays, conditions, vague time (rule 7)


def _day(day: int, month: int, year: int | None, meeting: date | None) -> str | None:
    if year is not None:
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    if meeting is None:
        return None
    found = next_day_month(day, month, meeting)
    return found.isoformat() if found else None


def _valid_numeric(groups: dict) -> bool:
    day, month = int(groups["nd"]), int(groups["nm"])
    return 1 <= day <= 31 and 1 <= month <= 12


def _is_meeting_expr(lower: str) -> bool:
    return bool(re.search(_MEETING_NOUN, lower)) and bool(re.search(r"neste|nästa|næste|kommende|kommande|førstkommende|påfølg|følgj", lower))


def _is_meeting(match: re.Match[str]) -> bool:
    return _is_meeting_expr(match.group("expr").lower())


def _fills_cell(text: str, match: re.Match[str]) -> bool:
    """The expression is a whole tab-separated cell (optionally with a cue word)."""
    before = text[: match.start()].rsplit("\t", 1)
    after = text[match.end() :].split("\t", 1)
    return "\t" in text and not before[-1].strip() and not after[0].strip(" .")


def _word_bounded(text: str, match: re.Match[str]) -> bool:
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    return not (before.isalnum() or (after.isalnum() and not match.group("expr")[-1:].isspace()))
