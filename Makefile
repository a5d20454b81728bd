# Two commands for users: `make run` and `make test`. Both create .venv and install what is missing;
# a stamp file keyed on pyproject.toml makes a repeat install a no-op.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
TRACKER := $(VENV)/bin/tracker

.PHONY: run test install install-test board bench score clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=26"

$(VENV)/.stamp-install: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

install: $(VENV)/.stamp-install

install-test: $(VENV)/.stamp-test
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium (not root?): browser tests will be skipped"; }

run: install
	$(TRACKER) init
	$(TRACKER) run --sample-if-offline
	$(TRACKER) board

board: install
	$(TRACKER) board

test: install-test
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/extract.py

score: install
	$(TRACKER) score models/labelled/test.passages.jsonl models/labelled/test.gold.jsonl

clean:
	rm -rf $(VENV) .pytest_cache
