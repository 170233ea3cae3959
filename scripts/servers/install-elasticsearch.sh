#!/usr/bin/env bash
# Test servers for tests/live/test_elasticsearch.py:
#   - osmem-server: an in-memory OpenSearch-API server (PyPI package `osmem-server`, dev extra);
#     no real Elasticsearch/OpenSearch package exists in Debian.
#   - nginx (Debian): auth_basic + TLS in front of it, per-index 403 rules, access log for the
#     read-only proof. Started by the tests with their own prefix; the Debian service is not
#     left running or enabled.
# Idempotent; exits non-zero on failure.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
py="${PYTHON:-$here/.venv/bin/python}"
[ -x "$py" ] || py="$(command -v python3)"

if ! "$py" -c 'import osmem_server, os, sys; sys.exit(0 if os.access(osmem_server.resolve_binary(), os.X_OK) else 1)' 2>/dev/null; then
    "$py" -m pip install --quiet 'osmem-server>=0.1.6'
    "$py" -c 'import osmem_server, os, sys; sys.exit(0 if os.access(osmem_server.resolve_binary(), os.X_OK) else 1)'
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! command -v nginx >/dev/null 2>&1 && ! [ -x /usr/sbin/nginx ]; then
    if ! $sudo apt-get install -y --no-install-recommends nginx openssl >/dev/null 2>&1; then
        $sudo apt-get update >/dev/null
        $sudo apt-get install -y --no-install-recommends nginx openssl >/dev/null
    fi
    # the package may start and enable its service: the tests run their own instances
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
    if [ -f /run/nginx.pid ]; then
        $sudo /usr/sbin/nginx -s stop >/dev/null 2>&1 || true
    fi
fi
command -v openssl >/dev/null 2>&1 || $sudo apt-get install -y --no-install-recommends openssl >/dev/null
{ command -v nginx || ls /usr/sbin/nginx; } >/dev/null
