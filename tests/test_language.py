"""Language identification of documents and paragraphs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.ingest import read_document
from pipeline.language import identify, identify_spans
from pipeline.normalise import normalise

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_seed_languages_match_gold(seed_paths, seed_gold):
    """Acceptance: seeds are nb/sv as in seeds-gold."""
    for path in seed_paths:
        assert identify(normalise(read_document(path).text)).code == seed_gold[path.stem]["language"], path.name


def test_corpus_languages_match_gold():
    golds = sorted((CORPUS / "gold").glob("*.json"))
    if not golds:
        pytest.skip("no labelled corpus yet")
    wrong = []
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        code = identify(normalise(read_document(CORPUS / "docs" / gold["file"]).text)).code
        if code != gold["language"]:
            wrong.append((gold["id"], gold["language"], code))
    assert not wrong


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kommunane skal sende inn planane sine innan fristen, og skulane vil få tilbakemelding frå fylket.", "nn"),
        ("Kommunene skal sende inn planene sine innen fristen, og skolene vil få tilbakemelding fra fylket.", "nb"),
        ("Kommunerna ska skicka in sina planer före tidsfristen och skolorna får återkoppling från regionen.", "sv"),
        ("Kommunerne skal indsende deres planer inden fristen, og skolerne vil få tilbagemelding fra regionen.", "da"),
        ("The municipalities will submit their plans before the deadline and schools will receive feedback.", "en"),
        ("12.03.2024 – 14:00", "und"),
        ("", "und"),
    ],
)
def test_sentences(text, code):
    assert identify(text).code == code


def test_mixed_document_paragraphs():
    nb = "Kommunene skal sende inn planene sine innen fristen, og skolene vil få tilbakemelding fra fylket."
    sv = "Kommunerna ska skicka in sina planer före tidsfristen och skolorna får återkoppling från regionen."
    text = f"{nb}\n\n{sv}\n"
    spans = [(0, len(nb)), (len(nb) + 2, len(nb) + 2 + len(sv))]
    assert [code for _, _, code in identify_spans(text, spans)] == ["nb", "sv"]
