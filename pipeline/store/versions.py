"""The versions a stored result was made with: the pipeline's and the bundled models'."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from pipeline import __version__

MODELS = Path(__file__).resolve().parents[2] / "models"
#: model artifacts that are not part of what extraction loads
_SKIP = {"training"}


def pipeline_version() -> str:
    return __version__


@lru_cache(maxsize=1)
def _models_digest() -> str:
    digest = hashlib.sha256()
    if MODELS.is_dir():
        for path in sorted(MODELS.rglob("*")):
            rel = path.relative_to(MODELS)
            if rel.parts[0] in _SKIP or not path.is_file() or path.name.startswith("."):
                continue
            digest.update(rel.as_posix().encode())
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
    return digest.hexdigest()[:16]


def model_version() -> str:
    """MINUTES_MODEL_VERSION when set, else a digest of the bundled model files (models/)."""
    return os.environ.get("MINUTES_MODEL_VERSION") or f"models-{_models_digest()}"
