"""Build models/gazetteer/municipalities.tsv from ../shared/data/gazetteer.

One row per municipality name (Norwegian and Swedish, current and discontinued since 2013,
with Sami/Kven name forms), mapped to its country and today's county: the county an analyst
compares by, so a 2017 Midtre Gauldal meeting counts for Trøndelag like a 2023 one.
Run: `python -m pipeline.training.gazetteer [DATA_DIR]`.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from pipeline.gazetteer import TABLE
from pipeline.training.langid import DEFAULT_DATA


def rows(data: Path) -> list[tuple[str, str, str, str]]:
    out: set[tuple[str, str, str, str]] = set()
    with (data / "gazetteer" / "no_municipalities.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            current = "yes" if row["current"] == "yes" else "no"
            for name in [row["name"], *filter(None, row["alt_names"].split("|"))]:
                out.add((name.strip(), "NO", row["county"], current))
    with (data / "gazetteer" / "se_municipalities.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            out.add((row["name"], "SE", row["county"], "yes"))
    return sorted(out)


def main(data: Path = DEFAULT_DATA) -> None:
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    with TABLE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["name", "country", "county", "current"])
        writer.writerows(rows(data))
    print(f"wrote {TABLE}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA)
