# The two commands of the README: `make serve` (the web app over the example graph) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/store
PORT ?= 8080

.PHONY: serve test load clean

$(BIN)/policygraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

load: $(BIN)/policygraph
	$(BIN)/policygraph --store $(STORE) load data/

serve: load
	$(BIN)/policygraph --store $(STORE) serve --port $(PORT)

test: $(BIN)/policygraph
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var build *.egg-info
