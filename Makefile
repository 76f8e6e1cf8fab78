# ZhiYi: `make run` starts the platform, `make test` runs the whole suite (SQLite + PostgreSQL).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test soak venv bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

run: venv
	VENV=$(VENV) scripts/run.sh

test: venv
	scripts/system-deps.sh
	VENV=$(VENV) scripts/test.sh $(ARGS)

# The reliability suite's longer variants (100,000 stream cycles, five minutes of mixed load).
soak: venv
	ZHIYI_SOAK=1 ZHIYI_TEST_HALF_LIMIT=120m VENV=$(VENV) scripts/test.sh tests/reliability --timeout=3600 $(ARGS)

bench: venv
	VENV=$(VENV) scripts/bench.sh

clean:
	rm -rf $(VENV) .pytest_cache
