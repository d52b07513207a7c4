# Two commands do all the set-up: `make run` (the app on the demo database) and
# `make test` (the whole suite). Everything else here serves those two.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Locks: every package with the hashes of its files, for Python 3.11 on Linux x86-64.
# Plain pip installs them (--require-hashes); `make lock` rewrites them with uv.
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
UV_VERSION := 0.13.9
LOCK_ARGS := --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
  --group install --custom-compile-command "make lock" --quiet

.PHONY: run test bench lint format typecheck goldens lock init status clean-demo

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	@$(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Install python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }

# The locked packages (pip and setuptools among them), then this project itself, editable,
# without its dependencies and without a build environment: the lock already holds them.
# That puts the `seoul` command in .venv/bin.
$(VENV)/.runtime: $(LOCK) pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.test: $(TEST_LOCK) $(VENV)/.runtime
	$(PY) -m pip install -q --require-hashes -r $(TEST_LOCK)
	@touch $@

## make run: create .venv, install, migrate, seed the demo on first start, serve the app
run: $(VENV)/.runtime
	$(VENV)/bin/seoul data init
	$(PY) -m streamlit run server.py --server.headless true --server.port $(PORT) \
	  --browser.gatherUsageStats false

## make test: the same set-up plus test tools and Debian packages, lint, format and
## type checks, then the whole suite
test: $(VENV)/.test
	./scripts/system-packages.sh
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) scripts/typecheck.py --blocking
	$(PY) -m pytest

## make typecheck: mypy on the domain packages, errors counted per package; blocking (one
## error fails it, and `make test` with it)
typecheck: $(VENV)/.test
	$(PY) scripts/typecheck.py --blocking

## make goldens: install R and survey if missing (Debian packages, as root), re-run every
## golden script into a temporary folder and compare each CSV with the committed one
goldens: $(VENV)/.runtime
	./scripts/system-packages.sh --r
	$(PY) tests/golden/check_goldens.py

## make lock: re-resolve requirements.lock and requirements-test.lock from pyproject.toml
## (keeping the pins already there unless pyproject.toml asks for others)
lock: $(VENV)/bin/python
	$(PY) -m pip install -q uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_ARGS) -o $(LOCK)
	$(VENV)/bin/uv pip compile pyproject.toml --extra test $(LOCK_ARGS) -c $(LOCK) -o $(TEST_LOCK)

init: $(VENV)/.runtime
	$(VENV)/bin/seoul data init

status: $(VENV)/.runtime
	$(VENV)/bin/seoul data status

lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.test
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-bench.txt
	$(PY) benchmarks/seed.py
	$(PY) benchmarks/submit.py
	$(PY) benchmarks/estimation.py
	$(PY) benchmarks/panel.py
	$(VENV)/bin/seoul data init   # the full demo (seeded once) for the report benchmark
	$(PY) benchmarks/report.py

clean-demo:
	rm -f var/demo.duckdb var/demo.duckdb.wal
