#!/usr/bin/env bash
# `make test` drives a headless Chromium in its end-to-end tests. Find one or obtain one, in this order:
# one already installed (Debian's chromium, or Playwright's own in its cache); Playwright's download (works where
# its download host is reachable); Debian's package through apt-get when running as root; otherwise stop at once
# naming the one command that fixes it, before any test has run.
set -uo pipefail
python="$1"
have_browser() {
  command -v chromium >/dev/null 2>&1 && return 0
  "$python" - <<'PY' 2>/dev/null
import pathlib, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if pathlib.Path(p.chromium.executable_path).exists() else 1)
PY
}
have_browser && exit 0
echo "make test: no Chromium found; trying Playwright's download (a few seconds)..."
if timeout 300 "$python" -m playwright install chromium >/tmp/chokepoint-playwright-install.log 2>&1 && have_browser; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "make test: Playwright's download failed (see /tmp/chokepoint-playwright-install.log); installing Debian's chromium with apt-get..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/tmp/chokepoint-apt-chromium.log 2>&1
  have_browser && exit 0
  echo "make test: apt-get install chromium failed, see /tmp/chokepoint-apt-chromium.log" >&2
  exit 1
fi
echo "make test: the end-to-end tests need Chromium. Run: sudo apt-get install chromium   (or 'make test-fast' to skip them)" >&2
exit 1
