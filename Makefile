# Two commands: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate seed bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

migrate: $(VENV)/.runtime
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

run: seed
	@echo "Demo API keys (instance/demo_keys.txt):"; cat instance/demo_keys.txt 2>/dev/null || true
	@echo "Serving http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@# One job worker beside gunicorn (the bank feed at scale, stress tests), stopped with it.
	$(FLASK) jobs worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --timeout 120 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: $(VENV)/.dev lint
	bash tests/setup_browser.sh
	$(BIN)/python -m pytest tests -m "not postgres"
	CREDITSVC_TEST_DB=postgresql $(BIN)/python -m pytest tests --ignore=tests/scoring --ignore=tests/lending --ignore=tests/e2e

bench: $(VENV)/.dev
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
