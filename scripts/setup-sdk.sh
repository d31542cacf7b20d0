#!/usr/bin/env bash
# Creates the Python SDK's virtualenv .tools/sdk-venv-<hash of sdk/python/requirements.lock> from
# the lock (exact versions), with sdk/python/src on its path (a .pth file: the sources are linked, not built).
# Idempotent: a venv for the current lock is reused.
#
#   scripts/setup-sdk.sh          create when missing; prints the venv's python
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SDK="$ROOT/sdk/python"
LOCK="$SDK/requirements.lock"
HASH="$(sha256sum "$LOCK" "$SDK/pyproject.toml" | sha256sum | cut -c1-12)"
VENV="$ROOT/.tools/sdk-venv-$HASH"
PY="$VENV/bin/python"

say() { echo "setup-sdk: $*" >&2; }
die() { echo "setup-sdk: error: $*" >&2; exit 1; }

if [[ -x "$PY" ]] && "$PY" -c 'import data_mesh_sdk, confluent_kafka, fastavro, pytest' 2>/dev/null; then
  say "SDK venv already in $VENV"
else
  SYSPY="$(command -v python3 || true)"
  [[ -n "$SYSPY" ]] || die "python3 is not installed (the SDK needs Python >= 3.10)"
  "$SYSPY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "$("$SYSPY" --version) is older than the SDK's Python 3.10"
  say "creating $VENV from $LOCK"
  rm -rf "$VENV"
  "$SYSPY" -m venv "$VENV" || die "cannot create a Python virtualenv (python3 -m venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$LOCK" || { rm -rf "$VENV"; die "pip install -r $LOCK failed"; }
  SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$SDK/src" >"$SITE/data_mesh_sdk.pth"
fi
echo "$PY"
