#!/usr/bin/env bash
# Install the Redis test server (Debian redis-server) for tests/live/test_redis.py.
# Idempotent; leaves no service running or enabled: the tests start their own servers
# on random 127.0.0.1 ports with temporary data directories.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if command -v redis-server >/dev/null 2>&1 && dpkg -s redis-server >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

# Keep the package's service from starting during installation.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod +x "$policy"
    created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

if ! apt-cache show redis-server >/dev/null 2>&1; then
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
fi
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends redis-server >/dev/null

# If a service manager started or enabled it anyway, stop and disable it.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now redis-server.service >/dev/null 2>&1 || true
fi
if command -v service >/dev/null 2>&1; then
    $SUDO service redis-server stop >/dev/null 2>&1 || true
fi
if command -v update-rc.d >/dev/null 2>&1; then
    $SUDO update-rc.d redis-server disable >/dev/null 2>&1 || true
fi

command -v redis-server >/dev/null 2>&1 || { echo "redis-server did not install" >&2; exit 1; }
redis-server --version
