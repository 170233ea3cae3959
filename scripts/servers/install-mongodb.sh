#!/usr/bin/env bash
# MongoDB test server for tests/live/test_mongodb.py. mongod is not packaged for Debian,
# so the tests use SecantusDB (`secantusd-py`, a MongoDB wire-protocol server), which comes
# from PyPI with the dev extra (pip install -e '.[all,dev]'). Nothing to install here:
# verify that the command is in the venv and that openssl (for the TLS test server) exists.
# Idempotent; starts nothing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/.venv/bin/secantusd-py"
if [ ! -x "$bin" ]; then
    bin="$(command -v secantusd-py || true)"
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "secantusd-py not found: run 'make install' (pip install -e '.[all,dev]')" >&2
    exit 1
fi

if ! command -v openssl >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    if ! apt-cache show openssl >/dev/null 2>&1; then
        $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
    fi
    $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends openssl >/dev/null
fi
command -v openssl >/dev/null 2>&1 || { echo "openssl did not install" >&2; exit 1; }
exit 0
