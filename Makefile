# spillguard: `make demo` scans the bundled sample stores; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: install demo test samples clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[all,dev]'
	touch $(STAMP)

demo: install
	$(VENV)/bin/spillguard scan samples/stores --fail-on never \
	    --output report.json --output report.sarif

test: install
	$(PY) -m pytest -q

samples: install
	$(PY) samples/generate.py --out samples/stores

clean:
	rm -rf $(VENV) build *.egg-info report.json report.sarif .pytest_cache
