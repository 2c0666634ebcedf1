"""`minutes evaluate`, cross-validation helpers and the report writer."""
from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evaluation import report
from evaluation.baseline import extract_file as baseline_extract
from evaluation.command import evaluate
from evaluation.cv import check_trainable, cross_validate, grouped_folds, learning_curve
from evaluation.example import GOLD, PREDICTIONS

app = typer.Typer()
app.command("evaluate")(evaluate)
app.command("noop")(lambda: None)  # two commands, so "evaluate" is addressed by name as in pipeline.cli
runner = CliRunner()


@pytest.fixture
def example(tmp_path: Path) -> dict[str, Path]:
    gold, docs = tmp_path / "gold", tmp_path / "docs"
    gold.mkdir()
    docs.mkdir()
    for doc_id, g in GOLD.items():
        (gold / f"{doc_id}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
        (docs / g["file"]).write_text("\n".join(i["text"] for i in g["items"]), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PREDICTIONS), encoding="utf-8")
    return {"gold": gold, "docs": docs, "pred": pred}


def _invoke(*args: str):
    result = runner.invoke(app, ["evaluate", *args], env={"COLUMNS": "200"})
    return result


def test_evaluate_reads_predictions(example):
    r = _invoke("--gold", str(example["gold"]), "--docs", str(example["docs"]), "--pred", str(example["pred"]))
    assert r.exit_code == 0, r.output
    assert "0.571" in r.output  # decision F1 4/7 of the hand-computed example
    assert "0.867" in r.output  # responsible F1 13/15


def test_evaluate_by_language_and_errors(example):
    r = _invoke("--gold", str(example["gold"]), "--docs", str(example["docs"]), "--pred", str(example["pred"]),
                "--by", "language", "--errors")
    assert r.exit_code == 0, r.output
    assert "by language" in r.output and " sv " in r.output
    assert "Ola ordner lokale." in r.output  # the false negative, with its text
    assert "Alle skal lese dokumentet" in r.output  # a false positive
    assert "pred 'i februar' = 2024-02-01" in r.output  # a matched action with a wrong deadline


def test_evaluate_rejects_unknown_grouping(example):
    r = _invoke("--gold", str(example["gold"]), "--docs", str(example["docs"]), "--by", "colour")
    assert r.exit_code != 0


def test_evaluate_runs_the_baseline(example):
    r = _invoke("--gold", str(example["gold"]), "--docs", str(example["docs"]), "--extractor", "baseline",
                "--by", "document")
    assert r.exit_code == 0, r.output
    assert "baseline: items (2 documents)" in r.output and "g1" in r.output


def test_evaluate_runs_the_model_extractor(example, monkeypatch):
    """`--extractor model` calls pipeline.extract.extract_file (here a stand-in echoing gold)."""
    def fake_extract(path: Path) -> dict:
        g = GOLD[path.stem]
        return {"document": {"source": str(path), "language": g["language"]}, "items": g["items"]}
    monkeypatch.setitem(sys.modules, "pipeline.extract", types.SimpleNamespace(extract_file=fake_extract))
    r = _invoke("--gold", str(example["gold"]), "--docs", str(example["docs"]))
    assert r.exit_code == 0, r.output
    assert "model: items" in r.output and "1.000" in r.output


# --- cross-validation --------------------------------------------------------------------

def test_grouped_folds_keep_groups_together():
    ids = [f"d{i}" for i in range(10)]
    folds = grouped_folds(ids, 5)
    assert len(folds) == 5
    assert sorted(i for _, test in folds for i in test) == sorted(ids)
    assert all(not set(tr) & set(te) for tr, te in folds)
    groups = ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"]
    for _, test in grouped_folds(ids, 5, groups):
        assert len({groups[ids.index(i)] for i in test}) == 1
    with pytest.raises(ValueError):
        grouped_folds(ids[:3], 5)


def test_test_split_and_seeds_are_refused():
    with pytest.raises(ValueError):
        check_trainable(["nb_001", "sv_009"], forbidden={"sv_009"})
    check_trainable(["nb_001"], forbidden={"sv_009"})


def _tiny_corpus(root: Path, n: int = 6) -> list[str]:
    """n one-decision documents in root/gold and root/docs."""
    (root / "gold").mkdir(parents=True)
    (root / "docs").mkdir()
    ids = [f"d{i}" for i in range(n)]
    for i in ids:
        (root / "docs" / f"{i}.txt").write_text("Referatet ble godkjent uten merknader.\n", encoding="utf-8")
        (root / "gold" / f"{i}.json").write_text(json.dumps({"id": i, "language": "nb", "items": [
            {"type": "decision", "text": "Referatet ble godkjent uten merknader.", "optional": False}]}))
    return ids


def test_cross_validate_and_learning_curve(tmp_path):
    ids = _tiny_corpus(tmp_path)
    gold_dir, docs = tmp_path / "gold", tmp_path / "docs"
    seen: list[list[str]] = []

    def train(train_ids: list[str]) -> int:
        seen.append(train_ids)
        return len(train_ids)

    def predict(model: int, path: Path) -> dict:
        return baseline_extract(path)

    cv = cross_validate(ids, train, predict, k=3, gold_dir=gold_dir, docs=docs, forbidden=set())
    assert len(cv.folds) == 3 and cv.pooled.n_docs == 6
    assert [len(s) for s in seen] == [4, 4, 4]
    assert cv.pooled.items["decision"].f1 == 1.0
    curve = learning_curve(ids[:4], ids[4:], train, predict, sizes=[1, 2, 4], gold_dir=gold_dir, docs=docs,
                           forbidden=set())
    assert [n for n, _ in curve] == [1, 2, 4] and all(s.n_docs == 2 for _, s in curve)


# --- report ------------------------------------------------------------------------------

def test_report_writes_markdown_and_self_contained_html(tmp_path, example, monkeypatch):
    monkeypatch.setattr(report, "datasets", lambda: [report.Dataset("example", example["gold"], example["docs"], None)])
    monkeypatch.setitem(sys.modules, "pipeline.extract", None)  # import fails -> baseline alone
    monkeypatch.setitem(sys.modules, "pipeline.trainable", None)  # no trainable extractor -> skipped
    summary = report.build(out_dir=tmp_path / "reports", learning=True)
    md = (tmp_path / "reports" / "latest.md").read_text(encoding="utf-8")
    page = (tmp_path / "reports" / "latest.html").read_text(encoding="utf-8")
    assert "pipeline.extract is unavailable" in md
    assert "## example (2 documents)" in md and "Item-type confusion" in md and "Versions" in md
    assert "cross-validation and learning curve" in md and "Skipped: no trainable extractor" in md
    assert "data:image/png;base64," in page and "<img" in page and 'src="latest_' not in page
    assert (tmp_path / "reports" / "latest_example_by_language.png").exists()
    assert set(summary["datasets"]["example"]) == {"baseline"}


def test_report_shows_treebank_accuracy_from_meta_json(tmp_path):
    meta = {"lang": "nb", "name": "minutes_nb", "version": "0.1.0",
            "performance": {"pos_acc": 0.9712, "dep_las": 0.8645, "ents_per_type": {}}}
    (tmp_path / "models" / "nb").mkdir(parents=True)
    (tmp_path / "models" / "nb" / "meta.json").write_text(json.dumps(meta))
    (tmp_path / "models" / "nb" / "README.md").write_text("# card")
    rep = report.Report()
    report.treebank_section(rep, tmp_path / "models")
    md = rep.markdown("")
    assert "| pipeline | pos_acc | dep_las |" in md
    assert "| models/nb | 0.971 | 0.865 |" in md
    assert "models/nb/README.md" in md


def test_report_cross_validates_a_trainable_extractor(tmp_path, monkeypatch):
    ids = _tiny_corpus(tmp_path / "corpus", 8)
    (tmp_path / "corpus" / "splits.json").write_text(json.dumps({"train": ids[:5], "dev": ids[5:7], "test": ids[7:]}))
    fake = types.SimpleNamespace(train=lambda train_ids: None, predict=lambda model, path: baseline_extract(path))
    monkeypatch.setitem(sys.modules, "pipeline.trainable", fake)
    rep = report.Report()
    report.trainable_section(rep, tmp_path / "corpus")
    md = rep.markdown("")
    assert "5-fold cross-validation grouped by document on train+dev (7 documents)" in md
    assert "| decision | 1.000 | 1.000 | 1.000 | 0.000 |" in md
    assert "learning_curve" in rep.images
