# minutes: every target sets itself up first, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test bench models eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install minutes with its test tools

run: setup ## the main job: ingest the bundled sample corpus into the embedded SQLite store
	$(BIN)/minutes ingest corpus/docs corpus/formats

test: setup ## the test suite
	$(BIN)/python -m pytest -q

bench: setup ## benchmarks; reports under evaluation/reports/
	$(BIN)/python -m evaluation.bench

models: setup ## retrain every model from ../shared/data and corpus/ (hours on 2 cores; see model cards)
	$(BIN)/python -m pipeline.training.gazetteer
	$(BIN)/python -m pipeline.training.langid
	PYTHON=$(BIN)/python bash pipeline/training/build.sh
	$(BIN)/python -m pipeline.training.items

eval: setup ## accuracy reports under evaluation/reports/
	$(BIN)/python -m evaluation.langid
	$(BIN)/python -m evaluation.report

clean:
	rm -rf $(VENV) out .pytest_cache
