"""The one error type ingestion raises: it always names the file and the problem."""
from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file could not be read as a document."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
