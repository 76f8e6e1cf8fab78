# ZhiYi: `make run` starts the platform, `make test` runs the whole suite (SQLite + PostgreSQL).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test venv bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

run: venv
	VENV=$(VENV) scripts/run.sh

test: venv
	VENV=$(VENV) scripts/test.sh $(ARGS)

bench: venv
	VENV=$(VENV) scripts/bench.sh

clean:
	rm -rf $(VENV) .pytest_cache
