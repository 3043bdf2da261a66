# Two commands do everything:  `make run` (set up, index corpus/, start) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SCRATCH := $(CURDIR)/.scratch
# Tests and runs keep every cache inside the repository and never call home.
OFFLINE_ENV := HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
# The package layers (pyproject.toml [tool.importlinter]); no cache: it would leave .import_linter_cache/ here.
LINT_IMPORTS := $(BIN)/lint-imports --no-cache --no-logo
TEST_ENV := HOME=$(SCRATCH)/home XDG_CACHE_HOME=$(SCRATCH)/cache HF_HOME=$(SCRATCH)/hf \
	TMPDIR=$(SCRATCH)/tmp GRADIO_TEMP_DIR=$(SCRATCH)/gradio $(OFFLINE_ENV)

.PHONY: setup index run screenshots test test-llm lint bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first, from this machine's disk: a bare `torch` would pull GBs of CUDA.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# axe-core, the accessibility checker the browser tests run in Chromium (package.json, from the npm registry).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --quiet
	touch $@

index: setup
	$(OFFLINE_ENV) $(BIN)/panel-papers ingest corpus/

# Index corpus/ (unchanged files are skipped), then serve the app on http://127.0.0.1:7860.
run: index
	$(OFFLINE_ENV) $(BIN)/panel-papers serve

# Screenshots for the README (docs/*-desktop.png, docs/*-phone.png): the browser test that takes them.
screenshots: setup
	mkdir -p $(SCRATCH)/home $(SCRATCH)/cache $(SCRATCH)/hf $(SCRATCH)/tmp $(SCRATCH)/gradio
	$(TEST_ENV) $(BIN)/python -m pytest -q tests/test_browser.py -k photographed

test: setup
	$(LINT_IMPORTS)
	mkdir -p $(SCRATCH)/home $(SCRATCH)/cache $(SCRATCH)/hf $(SCRATCH)/tmp $(SCRATCH)/gradio
	# Unbuffered: CI shows how far the run got even when it is stopped.
	$(TEST_ENV) PYTHONUNBUFFERED=1 $(BIN)/python -m pytest -q

# The LLM path against a real llama.cpp server (builds llama-cpp-python: about 7 minutes the first time).
test-llm: setup
	$(BIN)/python -m pip install --quiet -e '.[local-llm]'
	mkdir -p $(SCRATCH)/home $(SCRATCH)/cache $(SCRATCH)/hf $(SCRATCH)/tmp $(SCRATCH)/gradio
	$(TEST_ENV) $(BIN)/python -m pytest -q -s -m llm_server tests/test_llm_server.py

lint: setup
	$(BIN)/ruff check .
	$(LINT_IMPORTS)

bench: index
	$(OFFLINE_ENV) $(BIN)/python -m evals.bench_ingest

clean:
	rm -rf .panel-index .scratch node_modules
