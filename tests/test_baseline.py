"""The keyword baseline: cue words, sentence spans, contract shape, and its floor on the seeds."""
from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.baseline import (
    extract_file, extract_text, find_meeting_date, guess_language, resolve_date, sentences,
)
from evaluation.data import doc_path, load_gold
from evaluation.scorer import score_corpus

SHARED = Path(__file__).resolve().parents[2] / "shared"

TEXT = """Referat fra møte i skolenettverket 15. januar 2024

Sak 1/24 Godkjenning av referat
Referatet ble godkjent uten merknader.

Sak 2/24 Kompetanseutvikling
Det ble orientert om videreutdanning. Kari skal sende oversikten til rektorene innen 1. mars.
Vedtak:
Budsjettet for 2024 godkjennes.
Hvem skal delta på samlingen?
"""


def test_sentences_are_spans_of_the_text_and_join_bare_labels():
    spans = sentences(TEXT)
    texts = [TEXT[s:e] for s, e in spans]
    assert "Referatet ble godkjent uten merknader." in texts
    assert "Kari skal sende oversikten til rektorene innen 1. mars." in texts  # "1. mars" not split
    assert "Vedtak:\nBudsjettet for 2024 godkjennes." in texts


def test_cues_give_decisions_and_actions():
    out = extract_text(TEXT, "x/nb_999.txt")
    decisions = [i["text"] for i in out["items"] if i["type"] == "decision"]
    actions = {i["text"]: i for i in out["items"] if i["type"] == "action"}
    assert "Referatet ble godkjent uten merknader." in decisions
    assert "Vedtak:\nBudsjettet for 2024 godkjennes." in decisions
    kari = actions["Kari skal sende oversikten til rektorene innen 1. mars."]
    assert kari["responsible"] == [{"name": "Kari", "kind": "person"}]
    assert kari["deadline"] == {"text": "innen 1. mars", "date": "2024-03-01"}
    assert not any(t.endswith("?") for t in actions)  # questions are not actions
    for i in out["items"]:
        assert out["text"][i["start"]:i["end"]] == i["text"]


def test_output_has_the_extract_contract_shape():
    out = extract_text(TEXT, "x/nb_999.txt")
    assert out["schema_version"] == 1
    assert {"document", "agenda_items", "items", "text"} <= out.keys()
    assert {"id", "source", "language", "meeting_date", "country", "county", "municipalities",
            "topics"} <= out["document"].keys()
    assert out["document"]["language"] == "nb" and out["document"]["country"] == "NO"
    assert out["document"]["meeting_date"] == "2024-01-15"
    assert all({"type", "text", "start", "end", "responsible", "deadline", "topics", "confidence"} <= i.keys()
               for i in out["items"])


def test_swedish_cues_and_language():
    text = "Protokoll 2018-02-02\n\nBeslut: Protokollet godkänns.\nAnna och Johan ska maila inbjudan senast 16 februari.\n"
    out = extract_text(text)
    assert out["document"]["language"] == "sv" and out["document"]["country"] == "SE"
    assert out["document"]["meeting_date"] == "2018-02-02"
    types = [(i["type"], i["text"]) for i in out["items"]]
    assert ("decision", "Beslut: Protokollet godkänns.") in types
    action = next(i for i in out["items"] if i["type"] == "action")
    assert [r["name"] for r in action["responsible"]] == ["Anna", "Johan"]
    assert action["deadline"] == {"text": "senast 16 februari", "date": "2018-02-16"}


def test_dates():
    assert find_meeting_date("Tid: Torsdag 10. mars 2016 kl. 09.30") == "2016-03-10"
    assert find_meeting_date("Möte 14 maj 2020") == "2020-05-14"
    assert resolve_date("innen 3. juni", "2021-11-10") == "2022-06-03"  # first such day after
    assert resolve_date("i oktober", "2021-11-10") == "2022-10"
    assert resolve_date("i november", "2021-11-10") == "2021-11"  # counting the meeting's own
    assert resolve_date("før vinterferien", "2021-11-10") is None
    assert guess_language("Det er ikkje kva vi trudde, men eg meiner det.") == "nn"


def test_reads_cp1252(tmp_path):
    p = tmp_path / "doc.txt"
    p.write_bytes("Referatet ble godkjent på møtet i Bodø.".encode("cp1252"))
    assert "Bodø" in extract_file(p)["text"]


def test_baseline_floor_on_seeds():
    """Scored once as the floor; the cue lists are not tuned on the seeds."""
    if not (SHARED / "seeds-gold").exists():
        pytest.skip("no ../shared/seeds-gold")
    gold = load_gold(SHARED / "seeds-gold")
    preds = {i: extract_file(doc_path(g, SHARED / "seeds")) for i, g in gold.items()}
    s = score_corpus(gold, preds)
    assert 0.3 <= s.items["decision"].f1 <= 0.9
    assert 0.1 <= s.items["action"].f1 <= 0.7
    assert s.language_accuracy == 1.0
