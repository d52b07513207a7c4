# Two commands do all the set-up: `make run` (the app on the demo database) and
# `make test` (the whole suite). Everything else here serves those two.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test bench lint format init status clean-demo

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	@$(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "Install python3-venv (sudo apt-get install python3-venv)"; exit 1; fi; }
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-test.txt
	@touch $@

## make run: create .venv, install, migrate, seed the demo on first start, serve the app
run: $(VENV)/.runtime
	$(PY) -m data init
	$(PY) -m streamlit run server.py --server.headless true --server.port $(PORT) \
	  --browser.gatherUsageStats false

## make test: the same set-up plus test tools and Debian packages, then the whole suite
test: $(VENV)/.test
	./scripts/system-packages.sh
	$(PY) -m ruff check .
	$(PY) -m pytest

init: $(VENV)/.runtime
	$(PY) -m data init

status: $(VENV)/.runtime
	$(PY) -m data status

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
	$(PY) -m data init          # the full demo (seeded once) for the report benchmark
	$(PY) benchmarks/report.py

clean-demo:
	rm -f var/demo.duckdb var/demo.duckdb.wal
