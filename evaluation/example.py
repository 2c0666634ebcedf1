"""A hand-built worked example of the Scoring rules (used by the tests; invented text).

Expected numbers, computed by hand (see EXPECTED):

Document g1 (nb)
- decision: "Referatet ble godkjent" covers 3/5 = 60% of "Referatet ble godkjent uten
  merknader." -> match (the 60% bound is inclusive). "Budsjettet vedtas" covers 2/6 of
  the budget decision -> no match: 1 FP, 1 FN. "Saken utsettes til våren" matches an
  optional item -> ignored. A decision with no labelled counterpart -> FP.
  decision TP 1, FP 2, FN 1.
- action: three matches (one where the prediction is 16 tokens, of which 5 = 31% are in
  the labelled item: >= 30%), one unmatched labelled action (FN), one spurious action (FP).
  responsible F1: "Kari Nordmann" contains "Kari" -> 1; {Statsforvalteren} vs
  {Statsforvalteren, KS} -> P 1, R 1/2, F1 2/3; "Rektorene" vs "rektorene" -> 1.
  deadlines: same date -> right; "2024-02-01" vs month-only "2024-02" -> wrong;
  no labelled date and texts "før vinterferien" overlap -> right.
- document: date wrong; county "Vestland fylke" = "Vestland"; municipalities
  {bergen, voss, askøy} vs {bergen, voss, os} -> TP 2 FP 1 FN 1; topics
  {finance, staffing, digitalisation} vs {finance, staffing, curriculum}.
Document g2 (sv): both items match; responsible {anna, Johan, Per} vs {Anna, Johan} ->
F1 0.8; deadline dates equal; county "Västra Götalands län" = "Västra Götaland";
municipality Skövde missed (FN 1).

Corpus: decision TP 2 FP 2 FN 1 -> P 1/2, R 2/3, F1 4/7; action TP 4 FP 1 FN 1 -> 0.8 each;
responsible mean (1 + 2/3 + 1 + 4/5) / 4 = 13/15; deadline 3/4; language 1; date 1/2;
country 1; county 1; municipalities TP 2 FP 1 FN 2 -> F1 4/7; topics micro TP 3 FP 1 FN 1
-> 3/4, macro over 5 topics (1, 1, 0, 0, 1) -> 3/5.
"""
from __future__ import annotations

GOLD: dict[str, dict] = {
    "g1": {
        "id": "g1", "file": "g1.txt", "language": "nb", "body_type": "municipal",
        "meeting_date": "2024-01-15", "country": "NO", "county": "Vestland",
        "municipalities": ["Bergen", "Voss", "Os"], "topics": ["finance", "staffing", "curriculum"],
        "items": [
            {"type": "decision", "text": "Referatet ble godkjent uten merknader.", "optional": False},
            {"type": "decision", "text": "Budsjettet for 2024 vedtas som foreslått.", "optional": False},
            {"type": "decision", "text": "Saken utsettes til våren.", "optional": True},
            {"type": "action", "text": "Kari skal sende rapporten til rektorene innen 1. mars.",
             "optional": False, "responsible": ["Kari"],
             "deadline": {"text": "innen 1. mars", "date": "2024-03-01"}},
            {"type": "action", "text": "Statsforvalteren og KS inviterer til dialogmøter i februar.",
             "optional": False, "responsible": ["Statsforvalteren", "KS"],
             "deadline": {"text": "i februar", "date": "2024-02"}},
            {"type": "action", "text": "Rektorene følger opp før vinterferien.", "optional": False,
             "responsible": ["rektorene"], "deadline": {"text": "før vinterferien", "date": None}},
            {"type": "action", "text": "Ola ordner lokale.", "optional": False,
             "responsible": ["Ola"], "deadline": None},
        ],
    },
    "g2": {
        "id": "g2", "file": "g2.txt", "language": "sv", "body_type": "network",
        "meeting_date": "2024-01-11", "country": "SE", "county": "Västra Götaland",
        "municipalities": ["Skövde"], "topics": ["learning_environment"],
        "items": [
            {"type": "decision", "text": "Protokollet godkänns och läggs till handlingarna.", "optional": False},
            {"type": "action", "text": "Anna och Johan mailar inbjudan senast torsdag.", "optional": False,
             "responsible": ["Anna", "Johan"],
             "deadline": {"text": "senast torsdag", "date": "2024-01-18"}},
        ],
    },
}


def _action(text: str, names: list, deadline: dict | None) -> dict:
    return {"type": "action", "text": text, "responsible": names, "deadline": deadline, "topics": []}


def _decision(text: str) -> dict:
    return {"type": "decision", "text": text, "responsible": [], "deadline": None, "topics": []}


PREDICTIONS: list[dict] = [
    {
        "schema_version": 1,
        "document": {"source": "/data/docs/g1.txt", "language": "nb", "meeting_date": "2024-01-16",
                     "country": "NO", "county": "Vestland fylke",
                     "municipalities": ["Bergen kommune", "Voss", "Askøy"],
                     "topics": ["finance", "staffing", "digitalisation"]},
        "items": [
            _decision("Referatet ble godkjent"),
            _decision("Budsjettet vedtas"),
            _decision("Saken utsettes til våren"),
            _decision("Det ble orientert om skolebruksplanen og mye annet i dag."),
            _action("Kari skal sende rapporten til rektorene innen 1. mars",
                    [{"name": "Kari Nordmann", "kind": "person"}],
                    {"text": "innen 1. mars", "date": "2024-03-01"}),
            _action("Statsforvalteren og KS inviterer til dialogmøter",
                    [{"name": "Statsforvalteren", "kind": "role"}],
                    {"text": "i februar", "date": "2024-02-01"}),
            _action("Rektorene følger opp dette arbeidet før vinterferien og rapporterer til styret, "
                    "kommunedirektøren, hovedutvalget og alle skolene",
                    ["Rektorene"], {"text": "før vinterferien", "date": None}),
            _action("Alle skal lese dokumentet", [], None),
        ],
    },
    {
        "schema_version": 1,
        "document": {"source": "C:\\data\\docs\\g2.txt", "language": "sv", "meeting_date": "2024-01-11",
                     "country": "SE", "county": "Västra Götalands län", "municipalities": [],
                     "topics": ["learning_environment"]},
        "items": [
            _decision("Protokollet godkänns och läggs till handlingarna"),
            _action("Anna och Johan mailar inbjudan",
                    [{"name": "anna", "kind": "person"}, {"name": "Johan", "kind": "person"},
                     {"name": "Per", "kind": "person"}],
                    {"text": "senast torsdag", "date": "2024-01-18"}),
        ],
    },
]

EXPECTED = {
    "decision": (2, 2, 1, 1 / 2, 2 / 3, 4 / 7),
    "action": (4, 1, 1, 0.8, 0.8, 0.8),
    "responsible_f1": 13 / 15,
    "deadline_accuracy": 3 / 4,
    "language_accuracy": 1.0,
    "date_accuracy": 1 / 2,
    "country_accuracy": 1.0,
    "county_accuracy": 1.0,
    "municipality_f1": 4 / 7,
    "topic_micro_f1": 3 / 4,
    "topic_macro_f1": 3 / 5,
}
