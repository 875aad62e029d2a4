# Two commands: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test
# (`make test-fast` is the quick SQLite subset for the edit-test loop).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-later lint migrate seed bench clean vendor translations

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
	@bash tests/setup_papers.sh
	@echo "Demo users: page passwords and API keys (instance/demo_keys.txt):"; cat instance/demo_keys.txt 2>/dev/null || true
	@echo "Serving http://$(HOST):$(PORT)  (sign in there; API docs: http://$(HOST):$(PORT)/api/v1/docs)"
	@# One job worker beside gunicorn (the bank feed at scale, stress tests), stopped with it.
	$(FLASK) jobs worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py --workers 2 --timeout 120 --bind $(HOST):$(PORT) wsgi:app

lint: $(VENV)/.dev
	$(BIN)/ruff check .

test: $(VENV)/.dev lint
	bash tests/setup_browser.sh
	bash tests/setup_papers.sh
	$(BIN)/python -m pytest tests -m "not postgres"
	CREDITSVC_TEST_DB=postgresql $(BIN)/python -m pytest tests --ignore=tests/scoring --ignore=tests/lending --ignore=tests/e2e
	$(MAKE) --no-print-directory test-later

# The edit-test loop: SQLite, no browser, no schemathesis.
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest tests -m "not postgres" --ignore=tests/e2e --deselect tests/api/test_schemathesis.py

# The SQLite suite again, browser included, with the machine's clock LATER days ahead: tests
# live on their own business date (tests/today.py), so one that reads the real calendar fails
# here. Without schemathesis (its stateful phase stalls under faketime).
LATER ?= 400
test-later: $(VENV)/.dev
	bash tests/setup_faketime.sh
	if command -v faketime >/dev/null; then faketime -f +$(LATER)d $(BIN)/python -m pytest tests \
	  -m "not postgres" --deselect tests/api/test_schemathesis.py; fi

bench: $(VENV)/.dev
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# The pages' third-party files, copied from their npm packages with their licences (no CDN, no
# build step). Bump a version here, run `make vendor`, commit what changed.
HTMX_VERSION := 2.0.11
BOOTSTRAP_VERSION := 5.3.9
ECHARTS_VERSION := 6.1.0
VENDOR := creditsvc/static/vendor
vendor:
	rm -rf .vendor-tmp && mkdir -p .vendor-tmp $(VENDOR)/htmx $(VENDOR)/bootstrap $(VENDOR)/echarts
	cd .vendor-tmp && npm pack --silent htmx.org@$(HTMX_VERSION) bootstrap@$(BOOTSTRAP_VERSION) echarts@$(ECHARTS_VERSION) >/dev/null
	cd .vendor-tmp && for f in *.tgz; do mkdir -p $${f%.tgz} && tar xzf $$f -C $${f%.tgz}; done
	cp .vendor-tmp/htmx.org-$(HTMX_VERSION)/package/dist/htmx.min.js .vendor-tmp/htmx.org-$(HTMX_VERSION)/package/LICENSE $(VENDOR)/htmx/
	cp .vendor-tmp/bootstrap-$(BOOTSTRAP_VERSION)/package/dist/css/bootstrap.min.css .vendor-tmp/bootstrap-$(BOOTSTRAP_VERSION)/package/dist/js/bootstrap.bundle.min.js .vendor-tmp/bootstrap-$(BOOTSTRAP_VERSION)/package/LICENSE $(VENDOR)/bootstrap/
	cp .vendor-tmp/echarts-$(ECHARTS_VERSION)/package/dist/echarts.min.js .vendor-tmp/echarts-$(ECHARTS_VERSION)/package/LICENSE .vendor-tmp/echarts-$(ECHARTS_VERSION)/package/NOTICE $(VENDOR)/echarts/
	@# The source maps are not shipped: drop the comments that would make a browser ask for them.
	sed -i '/sourceMappingURL=/d' $(VENDOR)/bootstrap/bootstrap.min.css $(VENDOR)/bootstrap/bootstrap.bundle.min.js
	printf 'htmx.org %s\nbootstrap %s\necharts %s\n' $(HTMX_VERSION) $(BOOTSTRAP_VERSION) $(ECHARTS_VERSION) > $(VENDOR)/VERSIONS
	rm -rf .vendor-tmp

# The English catalogue of the pages (their text is written in Chinese): extract, merge, compile.
translations: $(VENV)/.runtime
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output -o .messages.pot .
	test -f creditsvc/translations/en/LC_MESSAGES/messages.po || $(BIN)/pybabel init -i .messages.pot -d creditsvc/translations -l en
	$(BIN)/pybabel update -i .messages.pot -d creditsvc/translations -l en --no-fuzzy-matching
	$(BIN)/pybabel compile -d creditsvc/translations
	rm -f .messages.pot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
