#!/usr/bin/env bash
# Installs datacompy (Capital One's DataFrame comparison, PyPI, pinned below) with the pandas
# and pyarrow it runs on into the virtualenv .tools/datacompy-$DATACOMPY_VERSION, for the test
# that holds `mesh parity`'s mismatch counts to datacompy's (packages/cli/test/parity-datacompy.test.ts)
# and for bench/parity. Idempotent: a venv already holding the pinned versions is left alone.
#
#   scripts/setup-datacompy.sh        install when missing; prints the venv's python path
set -euo pipefail

DATACOMPY_VERSION=1.1.0
PANDAS_VERSION=3.0.6
PYARROW_VERSION=26.0.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/datacompy-$DATACOMPY_VERSION"
PYTHON="$VENV/bin/python"
PINS=("datacompy==${DATACOMPY_VERSION}" "pandas==${PANDAS_VERSION}" "pyarrow==${PYARROW_VERSION}")

say() { echo "setup-datacompy: $*" >&2; }
die() { echo "setup-datacompy: error: $*" >&2; exit 1; }

installed() {
  "$PYTHON" -c "import datacompy, pandas, pyarrow, sys; sys.exit(0 if (datacompy.__version__, pandas.__version__, pyarrow.__version__) == ('$DATACOMPY_VERSION', '$PANDAS_VERSION', '$PYARROW_VERSION') else 1)" 2>/dev/null
}

if installed; then
  say "datacompy ${DATACOMPY_VERSION} (pandas ${PANDAS_VERSION}, pyarrow ${PYARROW_VERSION}) already in $VENV"
else
  PY="$(command -v python3 || true)"
  [[ -n "$PY" ]] || die "python3 is not installed (needed for: pip install ${PINS[*]})"
  say "installing ${PINS[*]} into $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || die "cannot create a Python virtualenv (python3 -m venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}" || die "pip install ${PINS[*]} failed"
fi

installed || die "$VENV does not hold ${PINS[*]}"
echo "$PYTHON"
