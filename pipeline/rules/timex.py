"""Time vocabulary of Bokmål, Nynorsk and Swedish minutes, and date arithmetic for resolving it."""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

import dateparser

MONTHS: dict[str, int] = {}
for number, forms in enumerate(
    [
        ("januar", "januari", "january", "jan"),
        ("februar", "februari", "february", "feb"),
        ("mars", "marts", "march", "mar"),
        ("april", "apr"),
        ("mai", "maj", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("august", "augusti", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("desember", "december", "des", "dec"),
    ],
    start=1,
):
    for form in forms:
        MONTHS[form] = number

WEEKDAYS: dict[str, int] = {}
for number, forms in enumerate(
    [
        ("mandag", "måndag", "måndagen", "mandagen"),
        ("tirsdag", "tysdag", "tisdag", "tirsdagen", "tysdagen", "tisdagen"),
        ("onsdag", "onsdagen"),
        ("torsdag", "torsdagen"),
        ("fredag", "fredagen"),
        ("lørdag", "laurdag", "lördag"),
        ("søndag", "sundag", "söndag"),
    ]
):
    for form in forms:
        WEEKDAYS[form] = number

MONTH_NAMES = sorted(MONTHS, key=len, reverse=True)
#: Full month names only: abbreviations alone are ambiguous ("før jul" is Christmas, not July).
FULL_MONTH_NAMES = [m for m in MONTH_NAMES if len(m) > 4 or m in {"mars", "mai", "maj", "juni", "juli", "june", "july"}]
WEEKDAY_NAMES = sorted(WEEKDAYS, key=len, reverse=True)
_DATEPARSER_LANGUAGE = {"nb": "nb", "nn": "nn", "sv": "sv", "da": "da", "en": "en"}


def next_day_month(day: int, month: int, after: date) -> date | None:
    """The first `day`.`month` on or after `after` (rule 1 without a year)."""
    for year in (after.year, after.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= after:
            return candidate
    return None


def next_month(month: int, after: date) -> tuple[int, int]:
    """The next such month, counting the meeting's own (rule 4)."""
    return (after.year if month >= after.month else after.year + 1, month)


def next_weekday(weekday: int, after: date) -> date:
    """The first such weekday strictly after `after` (rule 2)."""
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def week_month(week: int, after: date) -> tuple[int, int] | None:
    """Year and month holding the Thursday of ISO week `week`, the first on or after `after` (rule 5)."""
    for year in (after.isocalendar()[0], after.isocalendar()[0] + 1):
        try:
            thursday = date.fromisocalendar(year, week, 4)
        except ValueError:
            continue
        if thursday >= after - timedelta(days=6):
            return thursday.year, thursday.month
    return None


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def expand_year(year: int) -> int:
    return year + 2000 if year < 100 else year


@lru_cache(maxsize=4096)
def parse_day_month(text: str, language: str) -> tuple[int, int, int | None] | None:
    """Day, month and (if written) year of a textual date such as `3. juni`, `den 14 maj 2020`."""
    settings = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first"}
    cleaned = text.lower().replace("den ", "").strip()
    parsed = dateparser.parse(cleaned, languages=[_DATEPARSER_LANGUAGE.get(language, "nb")], settings=settings)
    if parsed is None:
        return None
    has_year = any(token.isdigit() and len(token) == 4 for token in cleaned.replace(".", " ").split())
    return parsed.day, parsed.month, parsed.year if has_year else None


def iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"
