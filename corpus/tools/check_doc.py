"""Quick self-check for one or more corpus documents: `python corpus/tools/check_doc.py ID [ID ...]`.

Checks that the gold JSON parses, has the required fields, that every item text and deadline
text is an exact substring of the document, topic ids come from the taxonomy and dates are ISO.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOPICS = {
    "learning_environment", "digitalisation", "assessment_results", "competence_development",
    "curriculum", "finance", "special_needs_inclusion", "newcomers_language", "quality_management",
    "organisation_governance", "participation_home_school", "health_wellbeing", "transitions",
    "indigenous_minority", "staffing", "early_childhood_afterschool", "privacy_data_protection",
}
DOC_FIELDS = {"id", "file", "language", "title", "body", "body_type", "meeting_date",
              "next_meeting_date", "place", "participants", "chair", "secretary", "country",
              "county", "region", "municipalities", "topics", "items", "notes"}
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def check(doc_id: str) -> list[str]:
    problems: list[str] = []
    gold = json.loads((ROOT / "gold" / f"{doc_id}.json").read_text(encoding="utf-8"))
    text = (ROOT / "docs" / gold["file"]).read_text(encoding="utf-8")
    missing = DOC_FIELDS - gold.keys()
    if missing:
        problems.append(f"missing fields {sorted(missing)}")
    if gold["language"] not in {"nb", "nn", "sv", "da", "en"}:
        problems.append(f"bad language {gold['language']}")
    for field in ("meeting_date", "next_meeting_date"):
        if gold.get(field) and not re.match(r"^\d{4}-\d{2}-\d{2}$", gold[field]):
            problems.append(f"{field} not ISO: {gold[field]}")
    for t in gold.get("topics", []):
        if t not in TOPICS:
            problems.append(f"unknown document topic {t}")
    words = len(text.split())
    if gold["language"] in {"nb", "nn", "sv"} and not 200 <= words <= 3000:
        problems.append(f"length {words} words outside 200-3000")
    for n, item in enumerate(gold.get("items", [])):
        where = f"item {n} ({item.get('text', '')[:40]!r})"
        if item.get("type") not in {"decision", "action"}:
            problems.append(f"{where}: bad type")
        if item.get("text", "") not in text:
            problems.append(f"{where}: text is not an exact substring of the document")
        if not isinstance(item.get("optional"), bool):
            problems.append(f"{where}: optional must be true/false")
        for t in item.get("topics", []):
            if t not in TOPICS:
                problems.append(f"{where}: unknown topic {t}")
        if not all(isinstance(r, str) for r in item.get("responsible", [])):
            problems.append(f"{where}: responsible must be a list of strings")
        dl = item.get("deadline")
        if dl is not None:
            if dl.get("text", "") not in text:
                problems.append(f"{where}: deadline text not a substring")
            if dl.get("date") is not None and not DATE.match(dl["date"]):
                problems.append(f"{where}: deadline date not ISO: {dl['date']}")
            if dl.get("date") and gold.get("meeting_date") and dl["date"] < gold["meeting_date"][: len(dl["date"])]:
                problems.append(f"{where}: deadline before the meeting date")
    return problems


if __name__ == "__main__":
    ids = sys.argv[1:] or sorted(p.stem for p in (ROOT / "gold").glob("*.json"))
    bad = 0
    for doc_id in ids:
        for p in check(doc_id):
            bad += 1
            print(f"{doc_id}: {p}")
    print(f"{len(ids)} documents checked, {bad} problems")
    sys.exit(1 if bad else 0)
