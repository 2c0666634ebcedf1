#!/usr/bin/env bash
# Rebuild the bundled spaCy pipelines models/{nb,nn,sv} from ../shared/data.
#
#   pipeline/training/build.sh [LANG ...]        (default: sv nb nn)
#
# Steps per language: build the .spacy corpora (models/training/<lang>/, git-ignored),
# `spacy train` with models/configs/<lang>.cfg on one core, then package model-best into
# models/<lang>/ with meta, model card (README.md), metrics.json and floors.json.
# Environment: PYTHON (default .venv/bin/python), DATA dir is ../shared/data (fixed).
# Time on the shared 2-core build machine (one core used, load average 2-7 from other jobs):
# about 75 min in all (sv ~17 min, nb ~31 min, nn ~27 min incl. corpora + packaging);
# per-language training times are in the model cards / metrics.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-.venv/bin/python}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
LANGS=("$@")
[ ${#LANGS[@]} -eq 0 ] && LANGS=(sv nb nn)
mkdir -p models/training/logs

for lang in "${LANGS[@]}"; do
  echo "== $lang: corpora"
  if [ "$lang" = sv ]; then
    "$PY" -m pipeline.training.build_sv
  else
    "$PY" -m pipeline.training.build_no "$lang"
  fi
  echo "== $lang: train (log: models/training/logs/$lang.log)"
  start=$(date +%s)
  "$PY" -m spacy train "models/configs/$lang.cfg" \
      --output "models/training/out/$lang" \
      --code pipeline/training/spacy_code.py > "models/training/logs/$lang.log" 2>&1
  echo $(( $(date +%s) - start )) > "models/training/logs/$lang.time"
  echo "== $lang: package + evaluate"
  "$PY" -m pipeline.training.package "$lang"
done
