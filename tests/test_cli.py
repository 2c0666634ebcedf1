"""`minutes extract`: JSON Lines per the contract, and bad files reported while the rest go on."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_extract_seeds_writes_the_contract(seed_paths, seed_gold, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(seed_paths[0].parent), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(seed_paths)
    for record in records:
        assert record["schema_version"] == 1
        assert set(record) == {"schema_version", "document", "agenda_items", "items", "text", "pipeline"}
        assert record["pipeline"]["spacy_pipeline"]
        document = record["document"]
        assert len(document["id"]) == 64
        stem = document["source"].rsplit("/", 1)[-1].removesuffix(".txt")
        assert document["language"] == seed_gold[stem]["language"]
        for agenda in record["agenda_items"]:
            assert 0 <= agenda["start"] <= agenda["end"] <= len(record["text"])
        for item in record["items"]:
            assert record["text"][item["start"] : item["end"]] == item["text"]


def test_batch_with_bad_files_continues_and_fails(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Referat fra møtet. Vedtak: Budsjettet ble godkjent av utvalget i dag.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.docx").write_bytes(b"\x00\x01\x02garbage" * 100)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path / "*.*"), "-o", str(out)])
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "junk.docx:" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["document"]["source"].endswith("good.txt")


def test_single_bad_file_exit_status(tmp_path):
    bad = tmp_path / "tom.pdf"
    bad.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code != 0
    assert "tom.pdf: empty file" in result.output


def test_help_explains_itself():
    result = runner.invoke(app, ["extract", "--help"])
    assert result.exit_code == 0
    assert "JSON" in result.output and "folders" in result.output


def test_unexpected_failure_of_one_document_does_not_stop_the_batch(tmp_path, monkeypatch):
    import pipeline.extract

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Referat. Vedtak: Budsjettet ble godkjent av utvalget i dag.\n", encoding="utf-8")
    real = pipeline.extract.extract_file

    def flaky(path):
        if str(path).endswith("a.txt"):
            raise RuntimeError("model exploded")
        return real(path)

    monkeypatch.setattr(pipeline.extract, "extract_file", flaky)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1
    assert "a.txt: extraction failed (RuntimeError: model exploded)" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
