"""Normalisation: the canonical text that offsets index into."""
from __future__ import annotations

import re
import unicodedata

import pytest

from pipeline.ingest import read_document
from pipeline.normalise import PAGE_NUMBER, document_id, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("utvik-\nling av skolen", "utvikling av skolen"),
        ("Vi har IKT-\nansvarlige på hver skole", "Vi har IKT-ansvarlige på hver skole"),
        ("SIKT-\ngruppen møtes", "SIKT-gruppen møtes"),
        ("barne-\nog ungdomsskole", "barne- og ungdomsskole"),
        ("skolut-\nveckling i kommunen", "skolutveckling i kommunen"),
        ("Det er viktig å\nfølge opp saken.", "Det er viktig å følge opp saken."),
        ("Vedtak:\nSaken tas til orientering.", "Vedtak:\nSaken tas til orientering."),
        ("· første\n• andre\n\uf0b7 tredje\n▪ fjerde\n– femte", "• første\n• andre\n• tredje\n• fjerde\n• femte"),
        ("Hva\t\tHvem \tFrist\nLage plan\tKari\t1. mars", "Hva\tHvem\tFrist\nLage plan\tKari\t1. mars"),
        ("to  mellomrom\u00a0og\u200bnbsp", "to mellomrom ognbsp"),
        ("Linje en\r\nLinje to", "Linje en\nLinje to"),
        ("Tiltaket er et sam-\narbeid med Os", "Tiltaket er et samarbeid med Os"),
    ],
)
def test_rules(raw, expected):
    assert normalise(raw) == expected + "\n"


def test_unicode_nfc():
    decomposed = unicodedata.normalize("NFD", "Måløy skole får økt ramme")
    assert normalise(decomposed) == "Måløy skole får økt ramme\n"


def test_running_headers_footers_and_page_numbers_are_removed():
    page = "Referat fra oppvekstutvalget\n{body}\nSide {n} av 3\n"
    bodies = {1: "Innhold på side 1 som er\nlangt nok.", 2: "Innhold på side 2 som er\nlangt nok for to.", 3: "Slutten."}
    raw = "\f\n".join(page.format(body=bodies[n], n=n) for n in (1, 2, 3))
    text = normalise(raw)
    assert text.count("Referat fra oppvekstutvalget") == 1  # kept once, as the title
    assert text.startswith("Referat fra oppvekstutvalget")
    assert "Side" not in text.replace("Innhold på side", "")
    assert "Innhold på side 2 som er langt nok for to." in text


def test_swedish_page_footer_without_form_feeds():
    raw = "Protokoll BUN\nFörsta sidans text.\nSida 1 av 2\nProtokoll BUN\nAndra sidans text.\nSida 2 av 2\n"
    assert normalise(raw) == "Protokoll BUN\nFörsta sidans text.\nAndra sidans text.\n"


def test_repeated_lines_away_from_page_breaks_stay():
    raw = "Vedtak:\nSaken godkjennes.\n\nVedtak:\nBudsjettet vedtas.\n"
    assert normalise(raw).count("Vedtak:") == 2


def test_small_numbers_in_slides_are_not_page_numbers():
    raw = "Prosjektgruppe\n1\nProsjektgruppe\n2\n"
    assert normalise(raw) == raw


def test_id_is_sha256_of_normalised_text():
    import hashlib

    assert document_id("abc\n") == hashlib.sha256(b"abc\n").hexdigest()


def test_normalisation_is_idempotent(seed_paths):
    for path in seed_paths:
        once = normalise(read_document(path).text)
        assert normalise(once) == once, path.name


def test_seeds_have_no_page_furniture_or_broken_hyphenation(seed_paths):
    """Acceptance: no normalised seed text contains a page header or a broken hyphenation."""
    for path in seed_paths:
        text = normalise(read_document(path).text)
        lines = text.split("\n")
        assert not [line for line in lines if PAGE_NUMBER.match(line)], path.name
        assert not re.search(r"[a-zæøåäö]-\n[a-zæøåäö]", text), path.name
        assert "\f" not in text
