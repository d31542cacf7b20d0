#!/usr/bin/env bash
# Installs Great Expectations (GX Core, PyPI great_expectations, pinned below, with the pandas
# and pyarrow it runs on) into the virtualenv .tools/gx-$GX_VERSION, for the agreement test of
# `mesh quality` (packages/cli/test/quality-gx-agreement.test.ts): GX's pandas engine must give
# the same verdict as DuckDB on every generated rule/data pair.
# Idempotent: a venv already holding the pinned versions is left alone.
#
#   scripts/setup-gx.sh          install when missing; prints the venv's python path
set -euo pipefail

GX_VERSION=1.24.1
PANDAS_VERSION=3.1.1
PYARROW_VERSION=26.0.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/gx-$GX_VERSION"
PYTHON="$VENV/bin/python"
WANT="$GX_VERSION $PANDAS_VERSION $PYARROW_VERSION"

say() { echo "setup-gx: $*" >&2; }
die() { echo "setup-gx: error: $*" >&2; exit 1; }

installed() {
  "$PYTHON" -c 'import great_expectations, pandas, pyarrow; print(great_expectations.__version__, pandas.__version__, pyarrow.__version__)' 2>/dev/null
}

if [[ "$(installed)" == "$WANT" ]]; then
  say "great_expectations ${GX_VERSION} already in $VENV"
else
  PY="$(command -v python3 || true)"
  [[ -n "$PY" ]] || die "python3 is not installed (needed for: pip install great_expectations==${GX_VERSION})"
  say "installing great_expectations ${GX_VERSION}, pandas ${PANDAS_VERSION}, pyarrow ${PYARROW_VERSION} into $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || die "cannot create a Python virtualenv (python3 -m venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "great_expectations==${GX_VERSION}" "pandas==${PANDAS_VERSION}" "pyarrow==${PYARROW_VERSION}" \
    || die "pip install great_expectations==${GX_VERSION} failed"
fi

[[ "$(installed)" == "$WANT" ]] || die "$VENV does not hold great_expectations/pandas/pyarrow $WANT (it has: $(installed || echo nothing))"
echo "$PYTHON"
