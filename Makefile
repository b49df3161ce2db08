# The two commands of the README: `make serve` (the web app over the example graph) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/store
PORT ?= 8080

.PHONY: serve test load clean system-packages

# setuptools announces every editable install ("Editable installation. Please be careful ..."): a
# notice, not a problem, so it is silenced; any real build warning still shows.
$(BIN)/policygraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Java, Chromium and a font for the tests: installed when run as root, else one line saying what to install.
system-packages:
	@tests/system_packages.sh

load: $(BIN)/policygraph
	$(BIN)/policygraph --store $(STORE) load data/

serve: load
	$(BIN)/policygraph --store $(STORE) serve --port $(PORT)

test: system-packages $(BIN)/policygraph
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var build *.egg-info
