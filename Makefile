# Developer entry points. `make test` is what CI runs (.ci/run); it sets everything up itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_PATHS := $(wildcard codegen sandbox tests examples bench)

.PHONY: setup generate check lint typecheck test test-fast demo sandbox bench fuzz docs docs-serve clean

# Three distributions, one venv: the SDK (pyproject.toml), the generator (codegen/) and the
# sandbox (sandbox/), all editable, plus the tools (requirements-dev.txt).
DIST_FILES := pyproject.toml codegen/pyproject.toml sandbox/pyproject.toml sandbox/setup.py requirements-dev.txt

$(STAMP): $(DIST_FILES)
	@echo "==> setup: virtualenv in $(VENV) with requirements-dev.txt (SDK, codegen, sandbox, tools)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)

generate: $(STAMP)
	@echo "==> generate: schemas/ -> generated/"
	@$(BIN)/xero-codegen generate
	@$(BIN)/xero-codegen docs

check: $(STAMP)
	@echo "==> drift: xero-codegen check"
	@$(BIN)/xero-codegen check
	@$(BIN)/xero-codegen docs --check
	@echo "==> release guard: breaking schema changes need a version bump and a changelog entry"
	@$(BIN)/xero-codegen release-check
	@echo "==> ruff"
	@$(BIN)/ruff check $(LINT_PATHS)
	@$(BIN)/ruff format --check $(LINT_PATHS)
	@echo "==> mypy --strict"
	@$(BIN)/mypy --strict generated/xero_customer_api codegen/xero_codegen sandbox/xero_sandbox $(wildcard tests/typing/*.py)

test: $(STAMP)
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-redis.sh
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory docs
	@echo "==> pytest"
	@$(BIN)/pytest -q -n auto --dist loadfile

test-fast: $(STAMP)
	@$(BIN)/pytest -q -n auto --dist loadfile -m "not e2e"

demo: $(STAMP)
	@$(BIN)/python examples/demo.py

# Serve the sandbox until Ctrl-C, printing `export XERO_...` lines and the console URL.
# Extra options: make sandbox SANDBOX_ARGS="--db sandbox.db --port 8443"
SANDBOX_ARGS ?=
sandbox: $(STAMP)
	@$(BIN)/xero-sandbox serve $(SANDBOX_ARGS)

# The bench-only extra (xero-python, measured beside the SDK), installed here and nowhere else.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) pyproject.toml
	@echo "==> bench extra: pip install -e '.[bench]' (xero-python)"
	@$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $(BENCH_STAMP)

# `make bench BENCH_ONLY=v2-decode,v2-official` runs only those figures (RESULTS.md untouched).
# The limits figures run worker processes against a real redis-server (installed like for tests).
bench: $(BENCH_STAMP)
	@bash scripts/ensure-redis.sh
	@BENCH_ONLY="$(BENCH_ONLY)" $(BIN)/python -m bench

docs: $(STAMP)
	@echo "==> docs: mkdocs build --strict (offline) into build/site"
	@NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The site with working search (a page opened as a file cannot load the search index).
docs-serve: $(STAMP)
	@NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

fuzz: $(STAMP)
	@FUZZ_EXAMPLES=5000 $(BIN)/pytest -q tests/fuzz

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info */build */*.egg-info
