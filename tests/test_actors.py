"""Responsible actors: labels, requests, subjects, coordination and kinds, in nb, nn and sv."""
from __future__ import annotations

import pytest

from pipeline.rules import actors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Johan och Johanna förankrar detta med SIKT.", ["Johan", "Johanna"]),
        ("Skövde och Tibro presenterar hur de arbetar.", ["Skövde", "Tibro"]),
        ("Susanna förmedlar detta till Elisabeth.", ["Susanna"]),
        ("Statsforvalteren inviterer til dialogmøter med eierne.", ["Statsforvalteren"]),
        ("Rektorene skal sende inn planene.", ["Rektorene"]),
        ("Skolcheferna ansvarar för att bjuda in presidierna.", ["Skolcheferna"]),
        ("Kari, Per og Ola lager et utkast.", ["Kari", "Per", "Ola"]),
        ("Det jobbes mye med atferd i småskolen.", []),
        ("Vi deler med hverandre.", []),
    ],
)
def test_leading_subject(text, expected):
    assert actors.leading_subject(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ansvar: Kari Nordmann og Per Hansen", ["Kari Nordmann", "Per Hansen"]),
        ("Lage rutine for opplæring. Ansvarlig: rektor", ["rektor"]),
        ("Ansvarig: Förvaltningen", ["Förvaltningen"]),
        ("Ansvar: FAU", ["FAU"]),
        ("Ingen ansvarlig her", []),
    ],
)
def test_explicit_labels(text, expected):
    assert actors.explicit(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hovedutvalget ber rådmannen om å legge fram en plan.", ["rådmannen"]),
        ("Utbildningschefen får i uppdrag att ta fram kriterier.", ["Utbildningschefen"]),
        ("Var och en i SKIS får i uppdrag att nämna detta.", ["Var och en i SKIS"]),
        ("Samtidig oppfordres alle representantene til å tenke gjennom erfaringene.", ["alle representantene"]),
        ("Utvalet bed kommunedirektøren om å greie ut saka.", []),
    ],
)
def test_requests(text, expected):
    assert actors.requested(text) == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Skövde", "municipality"), ("Melhus", "municipality"), ("Statsforvalteren", "role"), ("rektorene", "role"),
     ("skolcheferna", "role"), ("FAU", "body"), ("prosjektgruppa", "body"), ("nämnden", "body"), ("Susanna", "person")],
)
def test_kinds(name, kind):
    assert actors.kind(name) == kind


def test_participant_names_are_persons():
    assert actors.kind("Ingrid", {"Ingrid Sjoner"}) == "person"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kommunalsjefen sender ut invitasjonen.", ["Kommunalsjefen"]),
        ("Rektorane skal levere planane innan fristen.", ["Rektorane"]),
        ("Ingrid og Per tek kontakt med Statsforvaltaren.", ["Ingrid", "Per"]),
        ("Det vert arbeidd vidare med saka.", []),
    ],
)
def test_nynorsk_subjects(text, expected):
    assert actors.leading_subject(text) == expected


def test_nynorsk_label():
    assert actors.explicit("Ansvarleg: prosjektgruppa") == ["prosjektgruppa"]
