#!/usr/bin/env bash
# Install the PostgreSQL server used by tests/live/test_postgres.py (Debian's postgresql,
# whatever major version the release ships), plus what the fixtures need: openssl (a
# throwaway TLS certificate), util-linux (unshare, setpriv) and iproute2 (loopback in a
# private network namespace). Idempotent; starts nothing and leaves nothing running: the
# tests start their own instances on random ports in temp directories.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

have_server() { compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && command -v pg_lsclusters >/dev/null; }
missing=()
have_server || missing+=(postgresql postgresql-contrib)
command -v openssl >/dev/null || missing+=(openssl)
{ command -v unshare >/dev/null && command -v setpriv >/dev/null; } || missing+=(util-linux)
command -v ip >/dev/null || missing+=(iproute2)

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-postgres.sh: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    # Keep the package from starting the cluster it creates (containers have no init anyway).
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        created_policy=1
    fi
    trap '[ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
    if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
        apt-get update
        apt-get install -y --no-install-recommends "${missing[@]}"
    fi
fi

have_server || { echo "install-postgres.sh: postgres binary not found after install" >&2; exit 1; }

# Stop and disable any cluster the package created (e.g. 15/main on port 5432).
if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _port status _rest; do
        if [ "$status" = "online" ] || [[ "$status" == online* ]]; then
            pg_ctlcluster "$version" "$cluster" stop || true
        fi
        conf="/etc/postgresql/$version/$cluster/start.conf"
        if [ -f "$conf" ] && ! grep -qx manual "$conf"; then
            echo manual > "$conf"
        fi
    done
fi
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now postgresql >/dev/null 2>&1 || true
fi
id postgres >/dev/null || { echo "install-postgres.sh: no postgres user" >&2; exit 1; }
echo "postgres: $(ls -d /usr/lib/postgresql/*/bin | tail -n1)"
