"""Shared fixtures: where the shared seeds and data live."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SEEDS_GOLD = SHARED / "seeds-gold"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        pytest.skip("../shared/seeds is not available")
    return paths


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, dict]:
    if not SEEDS_GOLD.exists():
        pytest.skip("../shared/seeds-gold is not available")
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in SEEDS_GOLD.glob("*.json")}
