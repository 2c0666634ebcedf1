"""The minutes components on constructed minutes in nb, nn and sv: candidates, items with a
decision that sets a task (both types), responsible actors and deadlines read from the Doc."""
from __future__ import annotations

import pytest

from pipeline.components.candidates import candidate_spans, sentence_spans
from pipeline.extract import analyse
from pipeline.normalise import normalise

NB = """Referat fra møte i oppvekstnettverket
Dato: 12.01.2022
Til stede: Kari Nordmann (Melhus), Per Hansen (Oppdal)

Sak 1/22 Godkjenning av referat
Referatet fra forrige møte ble godkjent uten merknader.

Sak 2/22 Kompetanseutvikling
Nettverket diskuterte behovene for videreutdanning i kommunene. Det jobbes mye med dette i alle kommunene.
Vedtak: Det gjennomføres to dialogmøter med skolene før 1. mars.
Kari og Per lager et utkast til felles plan innen 15. februar.

Neste møte: 9. mars 2022
"""
NN = """Referat frå møte i skuleeigarnettverket
Dato: 03.02.2021

Sak 3/21 Læringsmiljø
Nettverket drøfta arbeidet med kapittel 9 A.
Vedtak: Kommunane set av midlar til kurs for tilsette.
Rektorane skal sende inn planane sine innan 1. mars.
"""
SV = """Protokoll SKIS 2018-02-02
Närvarande: Johan Wernvik, Susanna Ward Jonsson

§ 4 Digitalisering
Gruppen diskuterade skolornas arbete med lärplattformar.
Beslut: Gruppen beslutar att arbeta vidare med L7.
Johan och Johanna förankrar detta med SIKT senast den 14 mars.
"""


def test_sentences_respect_abbreviations_and_dates():
    text = "Møtet ble holdt kl. 10 bl.a. om budsjett. Kari sender brev innen 1. mars. Per ringer."
    spans = sentence_spans(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "Møtet ble holdt kl. 10 bl.a. om budsjett.", "Kari sender brev innen 1. mars.", "Per ringer."
    ]


def test_candidates_keep_headings_as_context():
    text = normalise(NB)
    found = {text[s:e]: heading for s, e, _, heading in candidate_spans(text)}
    assert found["Kari og Per lager et utkast til felles plan innen 15. februar."] is not None


@pytest.mark.parametrize(("text", "language"), [(NB, "nb"), (NN, "nn"), (SV, "sv")])
def test_items_have_offsets_into_the_text(text, language):
    doc = analyse(normalise(text), language, "test.txt")
    assert doc.spans["items"], "no items found"
    for span in doc.spans["items"]:
        assert doc.text[span.start_char : span.end_char] == span.text
        assert 0.0 <= span._.confidence <= 1.0


def test_bokmal_minutes_end_to_end():
    doc = analyse(normalise(NB), "nb", "test.txt")
    items = {(s.label_, s.text) for s in doc.spans["items"]}
    assert ("decision", "Referatet fra forrige møte ble godkjent uten merknader.") in items
    # A decision that sets a task is both a decision and an action.
    both = "Vedtak: Det gjennomføres to dialogmøter med skolene før 1. mars."
    assert ("decision", both) in items and ("action", both) in items
    action = next(s for s in doc.spans["items"] if s.label_ == "action" and s.text.startswith("Kari og Per"))
    assert action._.responsible == [("Kari", "person"), ("Per", "person")]
    assert (action._.deadline.text, action._.deadline.date) == ("innen 15. februar", "2022-02-15")
    assert doc._.meta.meeting_date.isoformat() == "2022-01-12"
    assert doc._.meta.next_meeting_date.isoformat() == "2022-03-09"
    assert doc._.meta.municipalities == ["Melhus", "Oppdal"]
    assert doc._.meta.county == "Trøndelag"
    assert not any(s.text.startswith("Det jobbes mye") for s in doc.spans["items"])


def test_swedish_coordination_and_deadline():
    doc = analyse(normalise(SV), "sv", "test.txt")
    action = next(s for s in doc.spans["items"] if s.label_ == "action" and s.text.startswith("Johan och Johanna"))
    assert [name for name, _ in action._.responsible] == ["Johan", "Johanna"]
    assert action._.deadline.date == "2018-03-14"
    assert doc._.meta.meeting_date.isoformat() == "2018-02-02"


def test_nynorsk_action_with_role_and_deadline():
    doc = analyse(normalise(NN), "nn", "test.txt")
    action = next(s for s in doc.spans["items"] if s.label_ == "action" and s.text.startswith("Rektorane"))
    assert action._.responsible == [("Rektorane", "role")]
    assert action._.deadline.date == "2021-03-01"


def test_one_pipeline_instance_per_language():
    """Swapping a component's model on the pipeline must reach `analyse` (no second instance)."""
    from pipeline.extract import language_pipeline

    assert language_pipeline("sv") is language_pipeline("sv", True) is language_pipeline("sv", with_extraction=True)
