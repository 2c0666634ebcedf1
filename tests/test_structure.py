"""Structure: agenda items and blocks with offsets into the normalised text."""
from __future__ import annotations

import pytest

from pipeline.ingest import read_document
from pipeline.normalise import normalise
from pipeline.structure import agenda_items, blocks


def seed_text(seed_paths, prefix: str) -> str:
    return normalise(read_document(next(p for p in seed_paths if p.name.startswith(prefix))).text)


def test_seed_002_agenda(seed_paths):
    numbers = [a.number for a in agenda_items(seed_text(seed_paths, "002_")) if a.number]
    assert numbers == [f"{n}/2022" for n in range(1, 7)]


def test_seed_000_agenda(seed_paths):
    items = agenda_items(seed_text(seed_paths, "000_"))
    assert [a.number for a in items] == ["23/17"]
    assert items[0].title == "Kommunerunde"


@pytest.mark.parametrize(
    ("heading", "number", "title"),
    [
        ("Sak 23/17 Kommunerunde", "23/17", "Kommunerunde"),
        ("Sak 12/19: Budsjett 2020", "12/19", "Budsjett 2020"),
        ("PS 45/21 Skolestruktur", "45/21", "Skolestruktur"),
        ("1/2022 Godkjenning av referat", "1/2022", "Godkjenning av referat"),
        ("§ 45 Dnr BUN 2019/123 Budget 2020", "§ 45", "Dnr BUN 2019/123 Budget 2020"),
        ("Ärende 4 Skolpliktsbevakning", "4", "Skolpliktsbevakning"),
        ("## Sak 3/23 Læringsmiljø", "3/23", "Læringsmiljø"),
    ],
)
def test_case_headings(heading, number, title):
    text = f"Protokoll\n\n{heading}\nTekst om saken.\n\nEventuelt\nIngen saker.\n"
    items = agenda_items(text)
    assert (items[0].number, items[0].title) == (number, title)
    assert items[-1].title == "Eventuelt" and items[-1].number is None
    assert text[items[0].start :].startswith(heading)
    assert items[0].end == items[1].start


def test_numbered_headings_need_a_sequence():
    text = "Referat\n1. Velkommen\nTekst.\n2. Budsjett\nMer tekst.\n3. Övriga frågor\n"
    assert [a.number for a in agenda_items(text)] == ["1", "2", "3"]
    assert agenda_items("Referat\n3. Noe\nTekst\n") == []


def test_markdown_headings_when_nothing_else():
    text = "# Harmonisering\nTekst\n## Underpunkt\nMer\n# Veien videre\nSlutt\n"
    assert [a.title for a in agenda_items(text)] == ["Harmonisering", "Veien videre"]


def test_swedish_closing_item():
    text = "§ 1 Val av justerare\nAnna väljs.\n\nÖvriga frågor\nInga.\n"
    assert [a.title for a in agenda_items(text)] == ["Val av justerare", "Övriga frågor"]


def test_blocks_have_kinds_and_offsets():
    text = "Sak 1/2022 Budsjett\nFørste linje i avsnittet\nandre linje.\n\n• Kari sender brev\n1. Per ringer\nHva\tHvem\tFrist\n"
    found = blocks(text)
    assert [b.kind for b in found] == ["heading", "paragraph", "list_item", "list_item", "table_row"]
    assert text[found[1].start : found[1].end] == "Første linje i avsnittet\nandre linje."
    assert text[found[4].start : found[4].end] == "Hva\tHvem\tFrist"
