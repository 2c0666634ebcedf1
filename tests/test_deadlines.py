"""Deadline expressions and their dates, rule by rule (ANNOTATION.md "Resolving a deadline's date")."""
from __future__ import annotations

from datetime import date

import pytest

from pipeline.rules.deadlines import find_deadline

MEETING = date(2021, 11, 15)  # a Monday
NEXT = date(2022, 1, 19)


@pytest.mark.parametrize(
    ("text", "language", "expected_text", "expected_date"),
    [
        # rule 1: a day, with or without a year; numeric forms
        ("Kari sender brevet innen 1. mars.", "nb", "innen 1. mars", "2022-03-01"),
        ("Tilbakemelding innan 3. juni.", "nn", "innan 3. juni", "2022-06-03"),
        ("Anmälan görs senast den 14 maj 2020.", "sv", "senast den 14 maj 2020", "2020-05-14"),
        ("Sista anmälningsdag är 16 februari.", "sv", "Sista anmälningsdag är 16 februari", "2022-02-16"),
        ("Rapport leveres innen 30.09.", "nb", "innen 30.09.", "2022-09-30"),
        ("Svar innen 10/11", "nb", "innen 10/11", "2022-11-10"),
        ("Innspill innen 20.11.", "nb", "innen 20.11.", "2021-11-20"),
        ("Frist 26/1-18 för svar.", "sv", "Frist 26/1-18", "2018-01-26"),
        ("Svar innen 15.11.2021 til Per.", "nb", "innen 15.11.2021", "2021-11-15"),
        # rule 2: a weekday alone is the first such weekday after the meeting
        ("Svar senest torsdag.", "nb", "senest torsdag", "2021-11-18"),
        ("Dokumentet sendes innen mandag.", "nb", "innen mandag", "2021-11-22"),
        ("Anna mailar anmälan senast fredag.", "sv", "senast fredag", "2021-11-19"),
        # rule 3: a meeting
        ("Saken tas opp til neste møte.", "nb", "til neste møte", "2022-01-19"),
        ("Gruppen återkommer till nästa möte.", "sv", "till nästa möte", "2022-01-19"),
        ("Endelig beslutning tas i mars-møtet.", "nb", "i mars-møtet", "2022-03"),
        ("Legges fram på møtet i januar.", "nb", "på møtet i januar", "2022-01-19"),
        # rule 4: a month
        ("Statsforvalteren skal ha møte med gruppa i februar.", "nb", "i februar", "2022-02"),
        ("Planen revideres under april 2023.", "nb", "under april 2023", "2023-04"),
        # rule 5: a week, by the month of its Thursday
        ("Rapporten leveres innen uke 12.", "nb", "innen uke 12", "2022-03"),
        ("Svar i veke 38.", "nn", "i veke 38", "2022-09"),
        ("Gruppen redovisar nästa vecka.", "sv", "nästa vecka", "2021-11"),
        # rule 6: the end of a period
        ("Svar innen utgangen av juni.", "nb", "innen utgangen av juni", "2022-06-30"),
        ("Klart före årsskiftet.", "sv", "före årsskiftet", "2021-12-31"),
        ("Rapport innen utgangen av 2014.", "nb", "innen utgangen av 2014", "2014-12-31"),
        # rule 7: seasons, holidays, conditions, vague time
        ("Møtene holdes før vinterferien.", "nb", "før vinterferien", None),
        ("Planer mot mobbing revideres innen jul.", "nb", "innen jul", None),
        ("Dette legges på teams-mappe når det er underskrevet.", "nb", "når det er underskrevet", None),
        ("Saken følges opp snarest.", "nb", "snarest", None),
        ("Saken utsettes til våren.", "nb", "til våren", None),
    ],
)
def test_deadline_forms(text, language, expected_text, expected_date):
    found = find_deadline(text, MEETING, NEXT, language)
    assert found is not None
    assert (found.text, found.date) == (expected_text, expected_date)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "text",
    [
        "Planen gjelder fra 1. august 2022.",
        "Ordningen gäller från och med 1 juli 2024.",
        "Møtet startet kl. 10.00 i rådhuset.",
        "Sak 23/17 ble behandlet.",
        "Kommunen begynner med BTI høsten 2017.",
    ],
)
def test_dates_that_are_not_deadlines(text):
    assert find_deadline(text, MEETING, NEXT, "nb") is None


def test_effective_date_is_skipped_for_the_real_deadline():
    found = find_deadline("Planen gjelder fra 1. august 2022 og skal evalueres innen 30.09.", MEETING, NEXT, "nb")
    assert (found.text, found.date) == ("innen 30.09.", "2022-09-30")


def test_unknown_meeting_date_keeps_only_explicit_years():
    assert find_deadline("Svar innen 1. mars.", None).date is None
    assert find_deadline("Svar innen 1. mars 2023.", None).date == "2023-03-01"


def test_to_do_table_deadline_column():
    found = find_deadline("Sende mal til kommunene\tKari\tuke 10", date(2021, 2, 1))
    assert (found.text, found.date) == ("uke 10", "2021-03")
