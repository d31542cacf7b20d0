#!/usr/bin/env bash
# Lints every CloudFormation template `mesh synth` writes with cfn-lint (PyPI), pinned below.
#
#   scripts/cfn-lint.sh [TEMPLATE_DIR]
#
# Without TEMPLATE_DIR it synthesizes the example domains first (infra/bin/synth.js, offline,
# into .tools/cfn-lint-out). cfn-lint is installed into a virtualenv under .tools/ when the
# pinned version is not there. Exit 0 when no template has an error (warnings are printed and
# allowed), 1 on lint errors, 2 when the tools cannot be set up.
set -euo pipefail

CFN_LINT_VERSION="1.58.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/cfn-lint-$CFN_LINT_VERSION"
CFN_LINT="$VENV/bin/cfn-lint"

if ! "$CFN_LINT" --version 2>/dev/null | grep -q "$CFN_LINT_VERSION"; then
  echo "installing cfn-lint==$CFN_LINT_VERSION into $VENV" >&2
  python3 -m venv "$VENV" || { echo "cannot create a Python virtualenv (python3 -m venv)" >&2; exit 2; }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION" || { echo "pip install cfn-lint==$CFN_LINT_VERSION failed" >&2; exit 2; }
fi

DIR="${1:-}"
if [ -z "$DIR" ]; then
  DIR="$ROOT/.tools/cfn-lint-out"
  rm -rf "$DIR"
  node "$ROOT/infra/bin/synth.js" --root "$ROOT" --out "$DIR" --no-nag >/dev/null || { echo "synthesis failed: run node infra/bin/synth.js --out $DIR to see why" >&2; exit 1; }
fi

shopt -s nullglob
templates=("$DIR"/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "no *.template.json in $DIR" >&2
  exit 1
fi

# Exit status of cfn-lint is a bit field: 2 = error, 4 = warning, 8 = informational.
set +e
"$CFN_LINT" --format parseable -- "${templates[@]}"
status=$?
set -e
if (( status & 2 )) || (( status & 1 )); then
  echo "cfn-lint: errors in ${#templates[@]} template(s)" >&2
  exit 1
fi
echo "cfn-lint $CFN_LINT_VERSION: ${#templates[@]} template(s), no errors"
