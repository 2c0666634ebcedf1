"""Bundled spaCy pipelines (models/<lang>) and the loader in pipeline/nlp.py."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

import pipeline.nlp as pnlp

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LANGS = ["nb", "nn", "sv"]


def _bundled(lang: str):
    path = REPO / "models" / lang
    if not (path / "config.cfg").exists():
        pytest.skip(f"bundled pipeline models/{lang} not built")
    return spacy.load(path)


@pytest.fixture(scope="module", params=LANGS)
def bundled(request):
    return request.param, _bundled(request.param)


# ------------------------------------------------------------------ accuracy floors

@pytest.mark.slow
def test_accuracy_above_floors(bundled):
    lang, nlp = bundled
    if not DATA.exists():
        pytest.skip("../shared/data not available")
    from pipeline.training.evaluate import evaluate

    floors_file = REPO / "models" / lang / "floors.json"
    assert floors_file.exists(), "floors.json missing beside the model card"
    floors = json.loads(floors_file.read_text())
    assert {"upos", "lemma", "las", "ner_f"} <= set(floors)
    got = evaluate(nlp, lang)
    low = {k: (got[k], v) for k, v in floors.items() if got.get(k) is None or got[k] < v}
    assert not low, f"{lang}: below floor (got, floor): {low}"


def test_model_card_and_meta(bundled):
    lang, nlp = bundled
    card = (REPO / "models" / lang / "README.md").read_text(encoding="utf-8")
    for word in ("UPOS", "LAS", "words/s", "MB", "licen"):
        assert word in card
    assert nlp.meta["name"] == f"minutes_{lang}"
    assert nlp.meta["version"] == "0.1.0"
    assert "ner" in nlp.pipe_names and "parser" in nlp.pipe_names
    assert "minutes_segmenter" in nlp.pipe_names
    size = sum(f.stat().st_size for f in (REPO / "models" / lang).rglob("*") if f.is_file())
    assert size <= 30 * 1024 * 1024


# ------------------------------------------------------------------ tokenizer

TOKEN_CASES = ["kl.", "ca.", "bl.a.", "jf.", "t.ex.", "m.m.", "v/", "ev.", "29.09.17", "26/1-18", "3/2022"]


@pytest.mark.parametrize("lang", LANGS)
def test_minutes_tokens_stay_whole(lang):
    nlp = _bundled(lang)
    text = ("Møtet startet kl. 18.30 den 29.09.17, jf. sak 3/2022 og frist 26/1-18. Ca. 40 deltok, "
            "bl.a. rektor v/ skolen, t.ex. lærere m.m. Saken tas ev. opp igjen.")
    toks = [t.text for t in nlp.make_doc(text)]
    for case in TOKEN_CASES:
        assert case in toks or case.capitalize() in toks, (case, toks)


@pytest.mark.parametrize("lang", LANGS)
def test_case_number_kept_whole(lang):
    nlp = _bundled(lang)
    for text in ("Sak 23/17 Godkjenning av protokoll", "Sak 23/17.", "Vedtak i sak 3/2022, se 29.09.2017."):
        toks = [t.text for t in nlp.make_doc(text)]
        assert "23/17" in toks or "3/2022" in toks, toks
    assert [t.text for t in nlp.make_doc("Sak 23/17.")] == ["Sak", "23/17", "."]


def test_segmenter_splits_bullets_and_headings():
    nlp = _bundled("nb")
    text = ("Sak 12/23 Budsjett 2024\nStyret vedtok budsjettet\n- Skolen får nye PC-er\n"
            "- Kantina stenges i juli\n\nSak 13/23 Eventuelt\nIngen saker.")
    doc = nlp(text)
    starts = [s.text.strip().split()[0] for s in doc.sents if s.text.strip()]
    assert starts.count("-") == 2, [s.text for s in doc.sents]
    assert starts.count("Sak") == 2, [s.text for s in doc.sents]


# ------------------------------------------------------------------ loader

@pytest.fixture
def fresh_loader():
    pnlp.load.cache_clear()
    yield pnlp
    pnlp.load.cache_clear()


def test_loader_uses_bundled_when_no_official(fresh_loader, monkeypatch):
    if not (REPO / "models" / "nb" / "config.cfg").exists():
        pytest.skip("bundled nb not built")
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    nlp = fresh_loader.load("nb")
    assert fresh_loader.pipeline_id(nlp) == "minutes_nb_bundled 0.1.0"
    assert fresh_loader.load("nb") is nlp  # cached: one load per process


def test_loader_prefers_installed_official(fresh_loader, monkeypatch):
    loaded = []

    def fake_is_package(name):
        return name in {"nb_core_news_sm", "sv_core_news_md"}

    def fake_load(name, *args, **kwargs):
        loaded.append(str(name))
        if str(name) not in {"nb_core_news_sm", "sv_core_news_md"}:
            raise AssertionError(f"should not load {name}")
        nlp = spacy.blank(str(name)[:2])
        nlp.meta.update({"name": str(name)[3:], "version": "3.8.0", "lang": str(name)[:2]})
        return nlp

    monkeypatch.setattr(spacy.util, "is_package", fake_is_package)
    monkeypatch.setattr(spacy, "load", fake_load)
    nb = fresh_loader.load("nb")
    assert fresh_loader.pipeline_id(nb) == "nb_core_news_sm 3.8.0"
    nn = fresh_loader.load("nn")  # Nynorsk also uses the official Bokmål pipeline
    assert fresh_loader.pipeline_id(nn) == "nb_core_news_sm 3.8.0"
    sv = fresh_loader.load("sv")
    assert fresh_loader.pipeline_id(sv) == "sv_core_news_md 3.8.0"
    assert loaded == ["nb_core_news_sm", "nb_core_news_sm", "sv_core_news_md"]
    fresh_loader.load("sv")
    assert len(loaded) == 3  # cached
    # the minutes tokenizer rules are added to the official pipeline too
    assert [t.text for t in nb("Sak 23/17 kl. 18.30")] == ["Sak", "23/17", "kl.", "18.30"]


def test_loader_prefers_lg_over_sm(fresh_loader, monkeypatch):
    monkeypatch.setattr(spacy.util, "is_package", lambda name: name in {"sv_core_news_lg", "sv_core_news_sm"})

    def fake_load(name, *a, **k):
        nlp = spacy.blank("sv")
        nlp.meta.update({"name": str(name)[3:], "version": "3.8.0", "lang": "sv"})
        return nlp

    monkeypatch.setattr(spacy, "load", fake_load)
    assert fresh_loader.pipeline_id(fresh_loader.load("sv")) == "sv_core_news_lg 3.8.0"


def test_loader_rejects_unknown_language(fresh_loader):
    with pytest.raises(ValueError):
        fresh_loader.load("de")
