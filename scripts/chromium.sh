#!/usr/bin/env bash
# Make sure Debian's headless-capable Chromium is at /usr/bin/chromium, for the browser tests
# (tests/test_browser.py drives it with Playwright for Python; `playwright install` is never run).
#
#   bash scripts/chromium.sh
#
# Idempotent: installs the `chromium` package with apt-get only when /usr/bin/chromium is absent.
# Needs root (or sudo) the first time.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium) present" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
echo "chromium.sh: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
/usr/bin/chromium --version >&2
