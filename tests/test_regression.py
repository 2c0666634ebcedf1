"""Regression: the extractor's F1 on the seeds may not drop below the latest report's figures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.data import SEEDS_DOCS, SEEDS_GOLD
from evaluation.summary import get_extractor, run

LATEST = Path(__file__).resolve().parents[1] / "evaluation" / "reports" / "latest.json"


def recorded_floor() -> dict[str, float]:
    summary = json.loads(LATEST.read_text(encoding="utf-8"))
    seeds = next(v for k, v in summary["datasets"].items() if k.lower().startswith("seeds"))
    return {key: value for key, value in seeds["model"].items() if key in {"decision_f1", "action_f1"}}


@pytest.mark.slow
def test_seed_f1_not_below_latest_report(seed_paths):
    if not LATEST.exists():
        pytest.fail("evaluation/reports/latest.json is missing: run `make eval` and commit the report")
    floor = recorded_floor()
    result = run("model", SEEDS_GOLD, SEEDS_DOCS, extract=get_extractor("model"))
    for key, value in floor.items():
        current = result.score.items[key.removesuffix("_f1")].f1 or 0.0
        assert current >= value - 1e-9, f"{key} fell from {value:.3f} (latest report) to {current:.3f}"
