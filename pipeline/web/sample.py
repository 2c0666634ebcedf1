"""A small hand-built store for tests and demos: extractions in the contract shape of
ANNOTATION.md, stored through the repository (no NLP models run).

    from pipeline.web.sample import populate
    populate("sqlite:////tmp/demo.sqlite")      # creates the schema and stores SAMPLES

Three regions in two countries, decisions and actions with responsible actors, day and month
deadlines, and one hostile document (script tags and SQL-like text) for the security tests.
"""
from __future__ import annotations

import hashlib
from typing import Any

HOSTILE_MARKER = "<script>alert('xss')</script>"


def _doc(text: str, meta: dict[str, Any], items: list[dict[str, Any]], agenda: list[tuple[str, str, str]]) -> dict:
    """An extraction dict: items give the sentence (`text`) that is searched for in `text`."""
    out_items = []
    for item in items:
        start = text.index(item["text"])
        out_items.append({"type": item["type"], "text": item["text"], "start": start, "end": start + len(item["text"]),
                          "agenda_item": item.get("agenda_item"), "responsible": item.get("responsible", []),
                          "deadline": item.get("deadline"), "topics": item.get("topics", []),
                          "confidence": item.get("confidence", 0.9)})
    out_agenda = []
    for number, title, heading in agenda:
        start = text.index(heading)
        out_agenda.append({"number": number, "title": title, "start": start, "end": start})
    for n, a in enumerate(out_agenda):  # an agenda item runs to the next one
        a["end"] = out_agenda[n + 1]["start"] if n + 1 < len(out_agenda) else len(text)
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    document = {"id": doc_id, "source": meta.pop("source"), "participants": [], "municipalities": [], "topics": [],
                **meta}
    return {"schema_version": 1, "document": document, "agenda_items": out_agenda, "items": out_items, "text": text}


def _role(name: str) -> dict:
    return {"name": name, "kind": "role"}


def _body(name: str) -> dict:
    return {"name": name, "kind": "body"}


GAULDAL_TEXT = """Referat fra møte i Samarbeidsforum Gauldal

Sak 1/2022 Godkjenning av innkalling
Innkalling og saksliste ble godkjent.

Sak 2/2022 Kompetanseutvikling
Statsforvalteren inviterer til dialogmøter med eierne innen 1. mars.
Vedtak: Kompetanseplanen for 2022 godkjennes.

Sak 3/2022 Læringsmiljø
Rektorene skal oppdatere planene for aktivitetsplikt innen utgangen av juni.
Prosjektgruppa lager budsjett for digitale verktøy i oktober.
"""

GAULDAL_2_TEXT = """Referat Samarbeidsforum Gauldal, høsten 2023

Sak 7/2023 Digitalisering
Vedtak: Felles læringsplattform innføres fra 2024.
Kommunalsjefen skal sende ut personvernavtalen innen 15. november.

Sak 8/2023 Økonomi
Vedtak: Budsjettet for nettverket vedtas.
"""

SKARABORG_TEXT = """Minnesanteckningar Skolchefsnätverket Skaraborg

1. Föregående protokoll
Protokollet lades till handlingarna.

2. Nyanlända elever
Skolcheferna ska kartlägga studiehandledning på modersmålet senast den 14 maj 2021.
Beslut: Nätverket väljer att prioritera nyanlända elevers skolgång.

3. Digitalisering
Anna mailar anmälan till konferensen om digitala prov.
"""

HOSTILE_TEXT = f"""Referat fra Oppvekstutvalget Trondheim {HOSTILE_MARKER}

Sak 4/2022 Sikkerhet
Vedtak: Rutinen '; DROP TABLE items; -- godkjennes <b>uten</b> endringer {HOSTILE_MARKER}.
IT-avdelingen skal teste skjemaet med " OR 1=1 -- innen 10. april.
"""


def samples() -> list[dict[str, Any]]:
    """The sample extractions (fresh dicts each call)."""
    return [
        _doc(GAULDAL_TEXT, {
            "source": "sample/gauldal-2022-01.txt", "language": "nb", "title": "Referat fra møte i Samarbeidsforum Gauldal",
            "body": "Samarbeidsforum", "meeting_date": "2022-01-19", "next_meeting_date": "2022-03-09", "place": "Støren",
            "participants": [{"name": "Kari Nordmann", "affiliation": "Midtre Gauldal"}, {"name": "Ola Hansen"}],
            "chair": "Kari Nordmann", "secretary": "Ola Hansen", "country": "NO", "county": "Trøndelag",
            "region": "Gauldalsregionen", "municipalities": ["Midtre Gauldal", "Holtålen"],
            "topics": ["competence_development", "learning_environment", "finance"],
        }, [
            {"type": "decision", "text": "Innkalling og saksliste ble godkjent.", "agenda_item": "1/2022",
             "topics": ["organisation_governance"]},
            {"type": "action", "text": "Statsforvalteren inviterer til dialogmøter med eierne innen 1. mars.",
             "agenda_item": "2/2022", "responsible": [_role("Statsforvalteren")],
             "deadline": {"text": "innen 1. mars", "date": "2022-03-01"}, "topics": ["competence_development"]},
            {"type": "decision", "text": "Vedtak: Kompetanseplanen for 2022 godkjennes.", "agenda_item": "2/2022",
             "topics": ["competence_development"]},
            {"type": "action", "text": "Rektorene skal oppdatere planene for aktivitetsplikt innen utgangen av juni.",
             "agenda_item": "3/2022", "responsible": [_role("Rektorene")],
             "deadline": {"text": "innen utgangen av juni", "date": "2022-06-30"}, "topics": ["learning_environment"]},
            {"type": "action", "text": "Prosjektgruppa lager budsjett for digitale verktøy i oktober.",
             "agenda_item": "3/2022", "responsible": [_body("Prosjektgruppa")],
             "deadline": {"text": "i oktober", "date": "2022-10"}, "topics": ["finance", "digitalisation"]},
        ], [("1/2022", "Godkjenning av innkalling", "Sak 1/2022"), ("2/2022", "Kompetanseutvikling", "Sak 2/2022"),
            ("3/2022", "Læringsmiljø", "Sak 3/2022")]),
        _doc(GAULDAL_2_TEXT, {
            "source": "sample/gauldal-2023-10.txt", "language": "nb", "title": "Referat Samarbeidsforum Gauldal, høsten 2023",
            "body": "Samarbeidsforum", "meeting_date": "2023-10-12", "country": "NO", "county": "Trøndelag",
            "region": "Gauldalsregionen", "municipalities": ["Midtre Gauldal"],
            "topics": ["digitalisation", "finance", "privacy_data_protection"],
        }, [
            {"type": "decision", "text": "Vedtak: Felles læringsplattform innføres fra 2024.", "agenda_item": "7/2023",
             "topics": ["digitalisation"]},
            {"type": "action", "text": "Kommunalsjefen skal sende ut personvernavtalen innen 15. november.",
             "agenda_item": "7/2023", "responsible": [_role("Kommunalsjefen")],
             "deadline": {"text": "innen 15. november", "date": "2023-11-15"},
             "topics": ["privacy_data_protection", "digitalisation"]},
            {"type": "decision", "text": "Vedtak: Budsjettet for nettverket vedtas.", "agenda_item": "8/2023",
             "topics": ["finance"]},
        ], [("7/2023", "Digitalisering", "Sak 7/2023"), ("8/2023", "Økonomi", "Sak 8/2023")]),
        _doc(SKARABORG_TEXT, {
            "source": "sample/skaraborg-2021-04.txt", "language": "sv", "title": "Minnesanteckningar Skolchefsnätverket Skaraborg",
            "body": "Skolchefsnätverket", "meeting_date": "2021-04-20", "country": "SE", "county": "Västra Götalands län",
            "region": "Skaraborg", "municipalities": ["Skövde", "Tibro"],
            "participants": [{"name": "Anna Svensson", "affiliation": "Skövde"}],
            "topics": ["newcomers_language", "digitalisation"],
        }, [
            {"type": "decision", "text": "Protokollet lades till handlingarna.", "agenda_item": "1",
             "topics": ["organisation_governance"]},
            {"type": "action", "text": "Skolcheferna ska kartlägga studiehandledning på modersmålet senast den 14 maj 2021.",
             "agenda_item": "2", "responsible": [_role("Skolcheferna")],
             "deadline": {"text": "senast den 14 maj 2021", "date": "2021-05-14"}, "topics": ["newcomers_language"]},
            {"type": "decision", "text": "Beslut: Nätverket väljer att prioritera nyanlända elevers skolgång.",
             "agenda_item": "2", "topics": ["newcomers_language"]},
            {"type": "action", "text": "Anna mailar anmälan till konferensen om digitala prov.", "agenda_item": "3",
             "responsible": [{"name": "Anna", "kind": "person"}], "deadline": None,
             "topics": ["digitalisation", "assessment_results"]},
        ], [("1", "Föregående protokoll", "1. Föregående"), ("2", "Nyanlända elever", "2. Nyanlända"),
            ("3", "Digitalisering", "3. Digitalisering")]),
        _doc(HOSTILE_TEXT, {
            "source": "sample/hostile.txt", "language": "nb", "title": f"Oppvekstutvalget {HOSTILE_MARKER}",
            "body": f"Oppvekstutvalget {HOSTILE_MARKER}", "meeting_date": "2022-03-02", "country": "NO",
            "county": "Trøndelag", "region": "Trondheimsregionen", "municipalities": ["Trondheim"],
            "topics": ["privacy_data_protection"],
        }, [
            {"type": "decision",
             "text": f"Vedtak: Rutinen '; DROP TABLE items; -- godkjennes <b>uten</b> endringer {HOSTILE_MARKER}.",
             "agenda_item": "4/2022", "topics": ["privacy_data_protection"]},
            {"type": "action", "text": "IT-avdelingen skal teste skjemaet med \" OR 1=1 -- innen 10. april.",
             "agenda_item": "4/2022", "responsible": [_body(f"IT-avdelingen {HOSTILE_MARKER}")],
             "deadline": {"text": "innen 10. april", "date": "2022-04-10"}, "topics": ["privacy_data_protection"]},
        ], [("4/2022", f"Sikkerhet {HOSTILE_MARKER}", "Sak 4/2022")]),
    ]


def populate(url: str, extractions: list[dict[str, Any]] | None = None) -> list[str]:
    """Create the schema at `url` and store the extractions (default: `samples()`); their ids."""
    from pipeline.contract import Extraction
    from pipeline.store import repository
    from pipeline.store.db import get_engine, session_scope
    from pipeline.store.migrate import upgrade

    engine = get_engine(url)
    upgrade(engine)
    ids = []
    for record in extractions if extractions is not None else samples():
        extraction = Extraction.model_validate(record)
        with session_scope(engine) as session:
            repository.store_extraction(session, extraction, uri=extraction.document.source,
                                        file_hash=extraction.document.id, pipeline_version="sample",
                                        model_version="sample")
        ids.append(extraction.document.id)
    return ids
