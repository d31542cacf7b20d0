#!/usr/bin/env bash
# Installs Verdaccio (the npm registry the publish round trip runs against, npm, pinned below
# and by scripts/verdaccio/package-lock.json) into .tools/verdaccio-$VERDACCIO_VERSION, outside
# the workspace: its ~330 packages would otherwise land in every `npm ci`. 6.8.0 because 6.10.x
# wants Node 22 and the repository supports Node 20. Idempotent: an install of the pinned version
# is left alone.
#
#   scripts/setup-verdaccio.sh        install when missing; prints the verdaccio bin path
set -euo pipefail

VERDACCIO_VERSION=6.8.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.tools/verdaccio-$VERDACCIO_VERSION"
BIN="$DIR/node_modules/verdaccio/bin/verdaccio"

say() { echo "setup-verdaccio: $*" >&2; }
die() { echo "setup-verdaccio: error: $*" >&2; exit 1; }

installed() {
  [[ -x "$BIN" ]] && [[ "$(node -p "require('$DIR/node_modules/verdaccio/package.json').version" 2>/dev/null)" == "$VERDACCIO_VERSION" ]] \
    && cmp -s "$ROOT/scripts/verdaccio/package-lock.json" "$DIR/package-lock.json"
}

if installed; then
  say "verdaccio ${VERDACCIO_VERSION} already in $DIR"
else
  grep -q "\"verdaccio\": \"$VERDACCIO_VERSION\"" "$ROOT/scripts/verdaccio/package.json" || die "scripts/verdaccio/package.json does not pin verdaccio $VERDACCIO_VERSION"
  say "installing verdaccio ${VERDACCIO_VERSION} into $DIR (npm ci of scripts/verdaccio/package-lock.json)"
  rm -rf "$DIR"
  mkdir -p "$DIR"
  cp "$ROOT/scripts/verdaccio/package.json" "$ROOT/scripts/verdaccio/package-lock.json" "$DIR/"
  (cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) || die "npm ci of verdaccio ${VERDACCIO_VERSION} failed"
fi

installed || die "$DIR does not hold verdaccio ${VERDACCIO_VERSION}"
echo "$BIN"
