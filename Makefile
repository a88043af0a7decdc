# citra developer entry points. `make demo` and `make test` are the README's two commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO ?= demo

.PHONY: demo test lint docs venv clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

## The main job on the embedded SQLite default: a simulated city's workspace, analysed, scanned and reported,
## an admin account, and the dashboard on http://127.0.0.1:8000 (Ctrl-C stops it).
demo: $(STAMP)
	$(BIN)/citra demo --workspace $(DEMO)

## Lint and the whole test suite (SQLite and the local PostgreSQL), on two workers (a test file stays on one worker,
## so the browser tests' per-file server is built once). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

## Regenerate docs/cli.md and docs/settings.md from the code (tests/test_docs.py fails when they are stale).
docs: $(STAMP)
	$(BIN)/python -m citra.docgen

## Re-pin dependencies after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache
