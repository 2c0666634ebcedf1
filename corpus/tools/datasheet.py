"""Regenerate the statistics part of corpus/README.md (between the datasheet markers).

Run: `python corpus/tools/datasheet.py`.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
START, END = "<!-- datasheet:start -->", "<!-- datasheet:end -->"


def table(counter: Counter, header: tuple[str, str]) -> list[str]:
    rows = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    rows += [f"| {key} | {n} |" for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]
    return rows + [""]


def main() -> None:
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "gold").glob("*.json"))]
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))
    split_of = {doc_id: split for split, ids in splits.items() for doc_id in ids}
    words = {g["id"]: len((CORPUS / "docs" / g["file"]).read_text(encoding="utf-8").split()) for g in golds}
    lines = [f"{len(golds)} documents, {sum(words.values()):,} words (documents of {min(words.values())}–{max(words.values())} words).", ""]
    lines += ["### By language and split", "", "| language | train | dev | test | all |", "|---|---|---|---|---|"]
    for lang in sorted({g["language"] for g in golds}):
        counts = Counter(split_of[g["id"]] for g in golds if g["language"] == lang)
        lines.append(f"| {lang} | {counts['train']} | {counts['dev']} | {counts['test']} | {sum(counts.values())} |")
    lines += ["", "### By body type", ""] + table(Counter(g.get("body_type") for g in golds), ("body type", "documents"))
    lines += ["### By country and county (today's county)", ""] + table(Counter(f"{g.get('country')} / {g.get('county')}" for g in golds), ("country / county", "documents"))
    years = Counter((g.get("meeting_date") or "unknown")[:4] for g in golds)
    lines += ["### By year", ""] + table(years, ("year", "documents"))
    items = Counter((i["type"], bool(i.get("optional"))) for g in golds for i in g["items"])
    lines += ["### Items", "", "| type | labelled | of which optional | with responsible | with deadline |", "|---|---|---|---|---|"]
    for t in ("decision", "action"):
        all_items = [i for g in golds for i in g["items"] if i["type"] == t]
        lines.append(f"| {t} | {len(all_items)} | {items[(t, True)]} | {sum(1 for i in all_items if i.get('responsible'))} | {sum(1 for i in all_items if i.get('deadline'))} |")
    lines += ["", "### Topics (documents / items)", "", "| topic | documents | items |", "|---|---|---|"]
    doc_topics = Counter(t for g in golds for t in g.get("topics", []))
    item_topics = Counter(t for g in golds for i in g["items"] for t in i.get("topics", []))
    for topic, n in sorted(doc_topics.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {topic} | {n} | {item_topics[topic]} |")
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    body = "\n".join([START, ""] + lines + ["", END])
    (CORPUS / "README.md").write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: body, readme, flags=re.S), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
