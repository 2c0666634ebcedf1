"""The labelled corpus: schema, substrings, taxonomy, dates, balance, duplicates, seeds, formats."""
from __future__ import annotations

import importlib.util
import itertools
import json
import re
from pathlib import Path

import pytest

from evaluation.tokens import tokens
from pipeline.ingest import read_document
from pipeline.normalise import normalise

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
_spec = importlib.util.spec_from_file_location("check_doc", CORPUS / "tools" / "check_doc.py")
check_doc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_doc)

GOLD = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "gold").glob("*.json"))}
TEXT = {doc_id: (CORPUS / "docs" / g["file"]).read_text(encoding="utf-8") for doc_id, g in GOLD.items()}


def shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = tokens(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.parametrize("doc_id", sorted(GOLD))
def test_document_is_valid(doc_id):
    """Schema, exact substrings, taxonomy, ISO dates, deadlines not before the meeting."""
    assert check_doc.check(doc_id) == []


def test_size_and_balance():
    languages = [g["language"] for g in GOLD.values()]
    assert len(GOLD) >= 120
    assert languages.count("nb") >= 45 and languages.count("nn") >= 20 and languages.count("sv") >= 45
    assert {"da", "en"} <= set(languages)


def test_split_is_a_partition_stratified_by_language():
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf-8"))
    ids = [i for part in splits.values() for i in part]
    assert sorted(ids) == sorted(GOLD) and len(ids) == len(set(ids))
    for lang in ("nb", "nn", "sv"):
        for part in ("train", "dev", "test"):
            assert any(GOLD[i]["language"] == lang for i in splits[part]), (lang, part)


def test_country_matches_language():
    for doc_id, gold in GOLD.items():
        if gold["language"] in {"nb", "nn"}:
            assert gold["country"] == "NO", doc_id
        elif gold["language"] == "sv":
            assert gold["country"] == "SE", doc_id


def test_no_near_duplicate_documents():
    sets = {doc_id: shingles(text, 5) for doc_id, text in TEXT.items()}
    for a, b in itertools.combinations(sets, 2):
        union = sets[a] | sets[b]
        overlap = len(sets[a] & sets[b]) / len(union) if union else 0
        assert overlap < 0.3, f"{a} and {b} share {overlap:.0%} of their 5-word shingles"


def test_no_seed_text_copied():
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not available")
    seed_shingles = set().union(*(shingles(p.read_text(encoding="utf-8"), 8) for p in seeds))
    for doc_id, text in TEXT.items():
        copied = shingles(text, 8) & seed_shingles
        assert not copied, f"{doc_id} repeats seed text: {' '.join(next(iter(copied)))}"


FORMATS = sorted((CORPUS / "formats").glob("*.*"))


@pytest.mark.parametrize("path", FORMATS, ids=[p.name for p in FORMATS])
def test_gold_texts_survive_ingestion_of_every_format(path):
    gold = GOLD[path.stem]
    words = " ".join(tokens(normalise(read_document(path).text)))
    items = [i for i in gold["items"]]
    found = sum(1 for i in items if " ".join(tokens(i["text"])) in words)
    assert found >= 0.95 * len(items), f"{found} of {len(items)} gold item texts found"
