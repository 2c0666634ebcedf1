"""Evaluation of the minutes extractor: the ANNOTATION.md scorer, a keyword baseline,
cross-validation helpers, the `minutes evaluate` command and the Markdown/HTML reports."""

from evaluation.scorer import CorpusScore, DocScore, PRF, score_corpus, score_document

__all__ = ["CorpusScore", "DocScore", "PRF", "score_corpus", "score_document"]
