#!/usr/bin/env bash
# Installs what the ODCS tests check `mesh export odcs` with (packages/cli/test/odcs-validate.test.ts):
#   - datacontract-cli (PyPI, pinned below) into the virtualenv .tools/datacontract-cli-$DATACONTRACT_CLI_VERSION,
#     for `datacontract lint` on every exported contract;
#   - the official ODCS v3.1 JSON Schema, as the PyPI package open-data-contract-standard ships it
#     (open_data_contract_standard/schema.json), into .tools/odcs-$ODCS_VERSION/odcs-json-schema-v3.1.0.json.
#     datacontract-cli 1.2.8 depends on open-data-contract-standard 3.2.x, whose wheel ships only the
#     v3.2 schema; the 3.1.x wheels ship the v3.1.0 one, so the schema is taken from the 3.1.2 wheel
#     (pip download, no install), checked against the digest below.
# Idempotent: what is already there at the pinned versions is left alone.
#
#   scripts/setup-odcs.sh        install when missing; prints the venv's datacontract path
set -euo pipefail

DATACONTRACT_CLI_VERSION=1.2.8
ODCS_VERSION=3.1.2
ODCS_SCHEMA_SHA256=2cb7dd6fe43344d2233e0406438622681dc3ebadcf8f0d606a15b40c8f6752c0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.tools/datacontract-cli-$DATACONTRACT_CLI_VERSION"
DATACONTRACT="$VENV/bin/datacontract"
SCHEMA_DIR="$ROOT/.tools/odcs-$ODCS_VERSION"
SCHEMA="$SCHEMA_DIR/odcs-json-schema-v3.1.0.json"

say() { echo "setup-odcs: $*" >&2; }
die() { echo "setup-odcs: error: $*" >&2; exit 1; }

installed() {
  [[ -x "$DATACONTRACT" ]] && [[ "$("$DATACONTRACT" --version 2>/dev/null)" == "$DATACONTRACT_CLI_VERSION" ]]
}
schema_ok() {
  [[ -f "$SCHEMA" ]] && [[ "$(sha256sum "$SCHEMA" | cut -d' ' -f1)" == "$ODCS_SCHEMA_SHA256" ]]
}

if installed; then
  say "datacontract-cli ${DATACONTRACT_CLI_VERSION} already in $VENV"
else
  PY="$(command -v python3 || true)"
  [[ -n "$PY" ]] || die "python3 is not installed (needed for: pip install datacontract-cli==${DATACONTRACT_CLI_VERSION})"
  say "installing datacontract-cli==${DATACONTRACT_CLI_VERSION} into $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || die "cannot create a Python virtualenv (python3 -m venv)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "datacontract-cli==${DATACONTRACT_CLI_VERSION}" || die "pip install datacontract-cli==${DATACONTRACT_CLI_VERSION} failed"
fi
installed || die "$VENV does not hold datacontract-cli ${DATACONTRACT_CLI_VERSION}"

if schema_ok; then
  say "ODCS v3.1.0 JSON Schema (open-data-contract-standard ${ODCS_VERSION}) already in $SCHEMA_DIR"
else
  say "taking the ODCS v3.1.0 JSON Schema from the open-data-contract-standard ${ODCS_VERSION} wheel"
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  "$VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary :all: -d "$TMP" "open-data-contract-standard==${ODCS_VERSION}" || die "pip download open-data-contract-standard==${ODCS_VERSION} failed"
  mkdir -p "$SCHEMA_DIR"
  "$VENV/bin/python" - "$TMP" "$SCHEMA" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/open_data_contract_standard-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("open_data_contract_standard/schema.json"))
PY
  schema_ok || die "$SCHEMA does not have the pinned digest $ODCS_SCHEMA_SHA256 (got $(sha256sum "$SCHEMA" | cut -d' ' -f1))"
fi

echo "$DATACONTRACT"
