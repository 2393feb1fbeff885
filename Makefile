# Two commands on a fresh machine with Python 3.11+ and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast serve lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps: reinstall only when pyproject.toml changes, so re-running is fast.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_foods
	@echo ""
	@echo "Cramp Tracker runs at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo "To create an admin account: $(PY) manage.py createsuperuser"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# The inner loop: everything but the slow tests (whole SR Legacy imports, hypothesis).
test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Production-like serving: DEBUG off, static files by whitenoise, gunicorn.
serve: $(VENV)/.installed
	DEBUG=0 $(PY) manage.py collectstatic --noinput
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py load_foods
	DEBUG=0 $(VENV)/bin/gunicorn tracker.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --timeout $${GUNICORN_TIMEOUT:-30}

bench: $(VENV)/.installed-dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# schemathesis against a live gunicorn with a throwaway database: no 500, no schema breach.
.PHONY: fuzz-api
fuzz-api: $(VENV)/.installed-dev
	bash tests/fuzz_api.sh
