#!/usr/bin/env bash
# Installs the headless browser that `npm run test:browser` drives: Debian's own Chromium package,
# launched by playwright-core through its executablePath (so Playwright never downloads a browser).
# Idempotent: does nothing but print the version when /usr/bin/chromium is already there. Uses the
# machine's existing apt sources as they are. Needs root (CI runs as root).
set -euo pipefail

chromium=/usr/bin/chromium

if [[ ! -x "$chromium" ]]; then
  echo "setup-browser: installing Debian's chromium package"
  apt-get update -qq
  # No recommends: fonts, drivers and extras the headless tests never use would triple the download.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi

# Chromium prints dbus and crashpad noise on stderr even for --version; keep only the version line.
"$chromium" --version 2>/dev/null
