"""Passed to `spacy train --code`: registers the project's factories and callbacks."""
import pipeline.components.segmenter  # noqa: F401  (minutes_segmenter factory)
import pipeline.lang_rules  # noqa: F401  (minutes.tokenizer_exceptions callback)
