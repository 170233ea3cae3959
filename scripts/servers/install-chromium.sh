#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for tests/reporting/test_html.py, which renders
# the HTML report in a real browser (screenshot + rendered DOM). Idempotent: does nothing
# when chromium is already installed. Chromium is started by the test only, offline
# (file:// URL, background networking disabled), and exits when the page is rendered.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if command -v chromium >/dev/null 2>&1 && dpkg -s chromium >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

if ! apt-cache show chromium >/dev/null 2>&1; then
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
fi
# fonts-noto-cjk: the reports carry Chinese field and file names (住户登记.csv, 是否党员)
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core fonts-noto-cjk >/dev/null

command -v chromium >/dev/null 2>&1 || { echo "chromium did not install" >&2; exit 1; }
chromium --version
