#!/usr/bin/env bash
# Installs the DataHub CLI (PyPI acryl-datahub, pinned below) into the virtualenv
# .tools/datahub-$DATAHUB_VERSION, for the catalog payload test of @data-mesh/cdk
# (`datahub check metadata-file` on the proposals CatalogRegistration posts).
# Idempotent: a venv already holding the pinned version is left alone.
#
#   scripts/setup-datahub.sh          install when missing; prints the datahub binary's path
set -euo pipefail

DATAHUB_VERSION=1.7.0.17

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/datahub-$DATAHUB_VERSION"
DATAHUB="$VENV/bin/datahub"

say() { echo "setup-datahub: $*" >&2; }
die() { echo "setup-datahub: error: $*" >&2; exit 1; }

if "$DATAHUB" --version 2>/dev/null | grep -q "version $DATAHUB_VERSION\$"; then
  say "acryl-datahub ${DATAHUB_VERSION} already in $VENV"
else
  PY="$(command -v python3 || true)"
  [[ -n "$PY" ]] || die "python3 is not installed (needed for: pip install acryl-datahub==${DATAHUB_VERSION})"
  say "installing acryl-datahub ${DATAHUB_VERSION} into $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || die "cannot create a Python virtualenv (python3 -m venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "acryl-datahub==${DATAHUB_VERSION}" || die "pip install acryl-datahub==${DATAHUB_VERSION} failed"
fi

"$DATAHUB" --version 2>/dev/null | grep -q "version $DATAHUB_VERSION\$" || die "$DATAHUB is not version ${DATAHUB_VERSION}"
echo "$DATAHUB"
