"""Measure language identification: lingua alone against lingua + the trained nb/nn/sv classifier.

Test data never seen in training: UD test splits (nb, nn: the NDT test sentences; sv:
Talbanken test) as single sentences and as 5-sentence paragraphs, the seeds, and the labelled
corpus documents. Writes evaluation/reports/langid.md. Run: `python -m evaluation.langid`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.ingest import read_document
from pipeline.language import _LINGUA, _family_detector, identify
from pipeline.normalise import normalise
from pipeline.training.langid import DEFAULT_DATA, conll_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPORT = ROOT / "evaluation" / "reports" / "langid.md"
UD_TEST = {
    "nb": "ud/UD_Norwegian-Bokmaal/no_bokmaal-ud-test.conllu.gz",
    "nn": "ud/UD_Norwegian-Nynorsk/no_nynorsk-ud-test.conllu.gz",
    "sv": "ud/UD_Swedish-Talbanken/sv_talbanken-ud-test.conllu.gz",
}


def lingua_only(text: str) -> str:
    language = _family_detector().detect_language_of(text)
    return _LINGUA.get(language, "und") if language else "und"


def two_stage(text: str) -> str:
    return identify(text).code


def labelled_documents(gold_dir: Path, docs_dir: Path) -> list[tuple[str, str]]:
    out = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        path = docs_dir / gold.get("file", f"{gold_file.stem}.txt")
        if path.exists():
            out.append((normalise(read_document(path).text), gold["language"]))
    return out


def test_sets(data: Path = DEFAULT_DATA) -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {"UD test sentences": [], "UD test paragraphs (5 sentences)": []}
    for lang, rel in UD_TEST.items():
        sentences = conll_sentences(data / rel)
        sets["UD test sentences"] += [(s, lang) for s in sentences]
        sets["UD test paragraphs (5 sentences)"] += [
            (" ".join(sentences[i : i + 5]), lang) for i in range(0, len(sentences), 5)
        ]
    sets["seeds"] = labelled_documents(SHARED / "seeds-gold", SHARED / "seeds")
    sets["corpus documents"] = labelled_documents(ROOT / "corpus" / "gold", ROOT / "corpus" / "docs")
    return sets


def score(method: Callable[[str], str], examples: list[tuple[str, str]]) -> tuple[dict[str, tuple[int, int]], float]:
    per_lang: dict[str, tuple[int, int]] = {}
    start = time.perf_counter()
    for text, gold in examples:
        right, total = per_lang.get(gold, (0, 0))
        per_lang[gold] = (right + (method(text) == gold), total + 1)
    return per_lang, time.perf_counter() - start


def main() -> None:
    lines = ["# Language identification", "", "Accuracy per gold language (n); lingua alone vs lingua + trained nb/nn/sv classifier.", ""]
    methods = {"lingua": lingua_only, "lingua + n-gram classifier": two_stage}
    for name, examples in test_sets().items():
        if not examples:
            continue
        lines += [f"## {name}", "", "| method | overall | " + " | ".join(sorted({g for _, g in examples})) + " | seconds |", "|---" * (len({g for _, g in examples}) + 3) + "|"]
        for method_name, method in methods.items():
            per_lang, seconds = score(method, examples)
            right = sum(r for r, _ in per_lang.values())
            cells = [f"{r / t:.3f} ({t})" for _, (r, t) in sorted(per_lang.items())]
            lines.append(f"| {method_name} | {right / len(examples):.3f} | " + " | ".join(cells) + f" | {seconds:.1f} |")
        lines.append("")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
