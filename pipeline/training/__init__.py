"""Training recipe for the bundled spaCy pipelines (models/nb, models/nn, models/sv).

Entry point: ``pipeline/training/build.sh`` (``make models``). Modules:
corpora (readers, DocBin writers), ndt2ud (NDT -> UD converter), build_no / build_sv
(corpus building), evaluate (test-split scores, speed), package (meta, card, floors).
"""
