# Two entry points: `make extract` (the seeds into outputs/) and `make test`.
# Both create .venv on first use and reuse it afterwards.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: extract test lint clean bench test-tools

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev,notebook,dask]"
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/newsgraph extract seeds/ --out outputs/

lint: $(STAMP)
	$(BIN)/ruff check graph tests benchmarks

test: $(STAMP) lint tests/js/node_modules test-tools
	$(BIN)/pytest -q

# graphology readers for tests/test_export_network.py (reinstalled only when the lock file changes).
tests/js/node_modules: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund
	touch tests/js/node_modules

# xmllint (Debian libxml2-utils) for the GraphML/GEXF well-formedness checks; skipped if it can't be had.
# Headless Chromium (Debian chromium) renders the notebook's offline HTML view (tests/test_explore.py); skipped if absent.
test-tools:
	@command -v xmllint >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq libxml2-utils) \
		|| echo "xmllint unavailable: the xmllint checks will be skipped"
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "chromium unavailable: the offline rendering check of the HTML view will be skipped"

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) outputs/*
