#!/usr/bin/env bash
# Installs the headless Chromium the catalog's browser tests drive (packages/catalog/test, with
# playwright-core): Debian's package, pinned. Idempotent: an installed pin is kept. Needs root
# (or sudo) and apt. Prints the browser's path.
#
#   scripts/setup-chromium.sh
set -euo pipefail

CHROMIUM_VERSION="156.0.8078.129-1~deb12u1"

say() { echo "setup-chromium: $*" >&2; }
die() { echo "setup-chromium: error: $*" >&2; exit 1; }

installed="$(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true)"
if [[ "$installed" == "$CHROMIUM_VERSION" ]] && command -v chromium >/dev/null; then
  say "chromium $CHROMIUM_VERSION already installed"
else
  command -v apt-get >/dev/null || die "apt-get is not available: install Chromium $CHROMIUM_VERSION another way and set CHROMIUM_PATH to its binary"
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || die "installing chromium needs root: run this script as root or install sudo"
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq >&2
  candidates="$(apt-cache madison chromium | awk -F'|' '{gsub(/ /, "", $2); print $2}')"
  if ! grep -qxF "$CHROMIUM_VERSION" <<<"$candidates"; then
    die "chromium $CHROMIUM_VERSION is not available from apt (it offers: ${candidates//$'\n'/, }). Fix: set CHROMIUM_VERSION in scripts/setup-chromium.sh to the version \`apt-cache policy chromium\` shows as Candidate, run the catalog's browser tests (cd packages/catalog && npx jest), and commit the new pin."
  fi
  say "installing chromium $CHROMIUM_VERSION"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "chromium=$CHROMIUM_VERSION" "chromium-common=$CHROMIUM_VERSION" >&2 \
    || die "apt-get install chromium=$CHROMIUM_VERSION failed"
fi
command -v chromium
