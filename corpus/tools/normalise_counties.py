"""Set every Norwegian gold file's county to today's (2024) county, as ../shared/seeds-gold do.

A 2017 Melhus meeting counts for Trøndelag like a 2023 one, so regions compare across the
county reforms of 2018, 2020 and 2024. The county follows from the gold municipalities
(`pipeline.gazetteer`); without municipalities a historic county name is mapped when that is
unambiguous. Run: `python corpus/tools/normalise_counties.py`.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.gazetteer import resolve

GOLD = Path(__file__).resolve().parents[1] / "gold"
HISTORIC = {"Sør-Trøndelag": "Trøndelag", "Nord-Trøndelag": "Trøndelag", "Hordaland": "Vestland",
            "Sogn og Fjordane": "Vestland", "Aust-Agder": "Agder", "Vest-Agder": "Agder",
            "Hedmark": "Innlandet", "Oppland": "Innlandet"}
SPLIT = {"Viken", "Troms og Finnmark", "Vestfold og Telemark"}


def today_county(gold: dict) -> str | None:
    country, county = resolve(gold.get("municipalities", []), "NO")
    if county and country == "NO":
        return county
    return HISTORIC.get(gold["county"], gold["county"])


def main() -> None:
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("country") != "NO" or not gold.get("county"):
            continue
        county = today_county(gold)
        if county in SPLIT:
            print(f"{path.name}: {county} cannot be mapped without municipalities")
        if county != gold["county"]:
            print(f"{path.name}: {gold['county']} -> {county}")
            gold["county"] = county
            path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
