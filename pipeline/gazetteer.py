"""Municipalities of Norway and Sweden: name → country and today's county."""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "models" / "gazetteer" / "municipalities.tsv"


@dataclass(frozen=True)
class Municipality:
    name: str
    country: str
    county: str
    current: bool


def key(name: str) -> str:
    """Lookup key: case, hyphens and spacing do not matter (Midtre-Gauldal = Midtre Gauldal)."""
    return re.sub(r"[\s\-‐–]+", " ", name).strip().casefold()


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Municipality]]:
    index: dict[str, list[Municipality]] = {}
    with TABLE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            entry = Municipality(row["name"], row["country"], row["county"], row["current"] == "yes")
            entries = index.setdefault(key(row["name"]), [])
            if all((e.country, e.county) != (entry.country, entry.county) for e in entries):
                entries.append(entry)
    return index


def lookup(name: str) -> list[Municipality]:
    """Every municipality of that name (a few names exist in several counties or both countries)."""
    return _index().get(key(name), [])


def is_municipality(name: str) -> bool:
    return bool(lookup(name))


def names() -> list[str]:
    """Every known municipality name, longest first (for matching in text)."""
    return sorted({m.name for entries in _index().values() for m in entries}, key=len, reverse=True)


def resolve(municipalities: list[str], country_hint: str | None = None) -> tuple[str | None, str | None]:
    """Country and county of a document from the municipalities it names.

    Ambiguous names (Herøy, Våler, Bø) vote for every county they may be in; the county with
    most votes wins, ties broken by the order of first mention.
    """
    countries: Counter[str] = Counter()
    counties: Counter[tuple[str, str]] = Counter()
    for name in municipalities:
        entries = [m for m in lookup(name) if country_hint is None or m.country == country_hint] or lookup(name)
        for entry in entries:
            countries[entry.country] += 1 / len(entries)
            counties[(entry.country, entry.county)] += 1 / len(entries)
    if not countries:
        return None, None
    country = countries.most_common(1)[0][0]
    in_country = [(c, n) for (k, c), n in counties.items() if k == country]
    county = max(in_country, key=lambda cn: cn[1])[0] if in_country else None
    return country, county
