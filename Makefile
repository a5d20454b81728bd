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

# First pass in the foreground (so the board opens on real content), then the scheduled pipeline in the
# background (log: tracker-run.log, one line per stage) and the board in the foreground; Ctrl-C stops both.
run: install
	$(TRACKER) init
	$(TRACKER) run --once --sample-if-offline
	@echo "pipeline: every 15 minutes in the background (log: tracker-run.log)"
	@$(TRACKER) run --sample-if-offline >> tracker-run.log 2>&1 & RUN_PID=$$!; \
	  trap 'kill -TERM $$RUN_PID 2>/dev/null; wait $$RUN_PID 2>/dev/null; echo "pipeline stopped"' EXIT INT TERM; \
	  $(TRACKER) board

board: install
	$(TRACKER) board

test: install-test
	$(PY) -m pytest -q

# every benchmark README reports (about 20 minutes on 2 cores; limits.py, the slowest, is left to run by hand)
bench: install
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/extract.py
	$(PY) benchmarks/evaluate.py
	$(PY) benchmarks/search.py
	$(PY) benchmarks/board.py
	$(PY) benchmarks/pipeline.py

score: install
	$(TRACKER) score models/labelled/test.passages.jsonl models/labelled/test.gold.jsonl

clean:
	rm -rf $(VENV) .pytest_cache
