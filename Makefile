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

run: setup ## the main job: extract the bundled sample corpus
	@mkdir -p out
	$(BIN)/minutes extract corpus/docs corpus/formats -o out/extractions.jsonl

test: setup ## the test suite
	$(BIN)/python -m pytest -q

bench: setup ## benchmarks; reports under evaluation/reports/
	$(BIN)/python -m evaluation.bench

models: setup ## retrain every model from ../shared/data
	$(BIN)/python -m pipeline.training.gazetteer
	$(BIN)/python -m pipeline.training.langid

eval: setup ## accuracy reports under evaluation/reports/
	$(BIN)/python -m evaluation.langid
	$(BIN)/python -m evaluation.report

clean:
	rm -rf $(VENV) out .pytest_cache
