#!/bin/sh
# Install the MariaDB server used by tests/live/test_mysql.py (Debian package
# mariadb-server: mariadbd + mariadb-install-db). Idempotent; leaves no service running.
set -eu

have() { command -v "$1" >/dev/null 2>&1; }
ready() {  # mariadbd lives in /usr/sbin, which may not be on a user's PATH; openssl makes the TLS test server's certificate
    { have mariadbd || [ -x /usr/sbin/mariadbd ]; } && have mariadb-install-db && have openssl
}

if ready; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
APT="$SUDO apt-get -o DPkg::Lock::Timeout=600 -y -q"

if ! apt-cache show mariadb-server >/dev/null 2>&1; then
    $APT update
fi
# The package's postinst may start a service; tests run their own throwaway instances.
$APT install --no-install-recommends mariadb-server mariadb-client openssl || {
    $APT update && $APT install --no-install-recommends mariadb-server mariadb-client openssl
}

# Stop (and do not leave enabled) whatever the package started.
if have systemctl && [ -d /run/systemd/system ]; then
    $SUDO systemctl stop mariadb.service >/dev/null 2>&1 || true
elif have invoke-rc.d; then
    $SUDO invoke-rc.d mariadb stop >/dev/null 2>&1 || true
fi
if have systemctl; then  # works offline too (no systemd running in containers)
    $SUDO systemctl disable mariadb.service >/dev/null 2>&1 || true
fi
for pidfile in /run/mysqld/mysqld.pid /var/run/mysqld/mysqld.pid; do
    if [ -s "$pidfile" ]; then
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            $SUDO kill "$pid" || true
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done
        fi
    fi
done
if have update-rc.d; then
    $SUDO update-rc.d mariadb disable >/dev/null 2>&1 || true
fi

ready || { echo "install-mysql.sh: mariadbd, mariadb-install-db or openssl missing after install" >&2; exit 1; }
