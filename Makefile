# Two entry points: `make extract` (the seeds into outputs/) and `make test`.
# Both create .venv on first use and reuse it afterwards.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: extract test lint clean bench

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev,notebook,dask]"
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/newsgraph extract seeds/ --out outputs/

lint: $(STAMP)
	$(BIN)/ruff check graph tests benchmarks

test: $(STAMP) lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) outputs/*
