# spillguard: `make demo` scans the bundled sample stores; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

.PHONY: install servers demo test samples clean bench scale

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

# benchmark (not part of `make test`): corpus, spillguard, peers and floors, one table in
# .bench/results.md. The peers live in their own venv so their dependencies (spaCy …)
# never touch .venv. ARGS="--size 20" for a quick run; see bench/README.md.
PEERS_VENV := .bench/venv-peers
PEERS_STAMP := $(PEERS_VENV)/.installed

$(PEERS_STAMP): bench/requirements.txt
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install --quiet --upgrade pip
	$(PEERS_VENV)/bin/pip install --quiet -r bench/requirements.txt
	touch $(PEERS_STAMP)

bench: install $(PEERS_STAMP)
	BENCH_CMD='make bench$(if $(ARGS), ARGS="$(ARGS)")' $(PY) bench/run.py $(ARGS)

# scale (not part of `make test`): a generated 10 GB log file and a 10^7-row PostgreSQL
# table scanned in full, wall time and peak RSS, one table in .bench/scale/scale.md.
# ARGS="--file-gb 1 --pg-rows 1000000" for a shorter run; see bench/scale.py.
scale: install servers
	SCALE_CMD='make scale$(if $(ARGS), ARGS="$(ARGS)")' $(PY) bench/scale.py $(ARGS)
