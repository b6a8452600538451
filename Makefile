# Broadsheet: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cksum pyproject.toml | cut -d' ' -f1)
PORT ?= 8000
export PORT

.PHONY: install run serve test bench lint clean desk-bundle varnish

# The desk's editor (Tiptap from the npm registry) is bundled by esbuild into static files.
DESK_BUNDLE := src/broadsheet/desk/static/desk/build/editor.js
DESK_SOURCES := $(wildcard src/broadsheet/desk/frontend/*.js)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(DESK_BUNDLE): node_modules/.package-lock.json $(DESK_SOURCES)
	npm run --silent build

desk-bundle: $(DESK_BUNDLE)


# `make run` installs what the site needs, not the test tools (`make test` and `make install` do).
$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	rm -f $(VENV)/.runtime-*
	touch $(RUNTIME_STAMP)

run: $(RUNTIME_STAMP) desk-bundle
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

test: install desk-bundle
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	command -v wrk || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var/test
