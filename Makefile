# spillguard: `make demo` scans the bundled sample stores; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: install servers demo test samples clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[all,dev]'
	touch $(STAMP)

demo: install
	$(VENV)/bin/spillguard scan samples/stores --fail-on never \
	    --output report.json --output report.sarif --output report.html

# the real servers the live-store tests start and stop themselves (Debian packages and
# PyPI stand-ins, see scripts/servers/); idempotent, so a second run installs nothing
servers:
	@for script in scripts/servers/install-*.sh; do \
	    [ -e "$$script" ] || continue; \
	    echo "== $$script"; bash "$$script" || exit 1; \
	done

test: install servers
	$(PY) -m pytest -q

samples: install
	$(PY) samples/generate.py --out samples/stores

clean:
	rm -rf $(VENV) build *.egg-info report.json report.sarif .pytest_cache
