"""Loading the project's scikit-learn artifacts with skops, trusting only known types."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from skops.io import get_untrusted_types, load

_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.")


def load_skops(path: Path) -> Any:
    """Load a .skops file whose every type comes from scikit-learn, NumPy, SciPy or builtins."""
    untrusted = get_untrusted_types(file=path)
    unexpected = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if unexpected:
        raise ValueError(f"{path}: unexpected types in model file: {unexpected}")
    return load(path, trusted=untrusted)
