# Broadsheet: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8000
export PORT

.PHONY: install run serve varnish test bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/broadsheet migrate --noinput
	$(BIN)/broadsheet collectstatic --noinput --verbosity 0
	$(BIN)/broadsheet seed --if-empty
	$(BIN)/broadsheet serve

# The same site with Debian's Varnish (and its xkey module) in front on PORT, the app on PORT+1.
varnish: install
	test -x /usr/sbin/varnishd || (apt-get update -qq && apt-get install -y -qq varnish varnish-modules)
	$(BIN)/broadsheet migrate --noinput
	$(BIN)/broadsheet collectstatic --noinput --verbosity 0
	$(BIN)/broadsheet seed --if-empty
	$(BIN)/broadsheet serve --with-varnish

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	command -v wrk || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) var/test
