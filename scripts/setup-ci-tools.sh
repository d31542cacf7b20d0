#!/usr/bin/env bash
# Installs the pinned workflow linters into <repo>/.tools when missing:
#   actionlint  go install github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION  -> .tools/bin
#   zizmor      pip install zizmor==$ZIZMOR_VERSION into the venv .tools/zizmor-venv          -> .tools/bin/zizmor
# Idempotent: a binary already at the pinned version is left alone.
#
#   scripts/setup-ci-tools.sh          install what is missing
#   scripts/setup-ci-tools.sh --lint   install, then run both on .github/workflows/ (exit 1 on any finding)
set -euo pipefail

ACTIONLINT_VERSION=1.7.12
ZIZMOR_VERSION=1.32.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MESH_TOOLS_BIN:-$ROOT/.tools/bin}"
VENV="$ROOT/.tools/zizmor-venv"

say() { echo "setup-ci-tools: $*"; }
die() { echo "setup-ci-tools: error: $*" >&2; exit 1; }

mkdir -p "$BIN"

have="$( [[ -x "$BIN/actionlint" ]] && "$BIN/actionlint" -version 2>/dev/null | head -n1 || true)"
if [[ "$have" == "$ACTIONLINT_VERSION" || "$have" == "v$ACTIONLINT_VERSION" ]]; then
  say "actionlint ${ACTIONLINT_VERSION} already in $BIN"
else
  command -v go >/dev/null 2>&1 || die "Go is not installed (needed for: go install github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION})"
  say "installing actionlint v${ACTIONLINT_VERSION} into $BIN"
  GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}"
fi

have="$( [[ -x "$BIN/zizmor" ]] && "$BIN/zizmor" --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have" == "$ZIZMOR_VERSION" ]]; then
  say "zizmor ${ZIZMOR_VERSION} already in $BIN"
else
  PY="$(command -v python3 || true)"
  [[ -n "$PY" ]] || die "python3 is not installed (needed for: pip install zizmor==${ZIZMOR_VERSION})"
  say "installing zizmor ${ZIZMOR_VERSION} into $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "zizmor==${ZIZMOR_VERSION}"
  ln -sf "$VENV/bin/zizmor" "$BIN/zizmor"
fi

[[ "$("$BIN/zizmor" --version | awk '{print $2}')" == "$ZIZMOR_VERSION" ]] || die "zizmor in $BIN is not ${ZIZMOR_VERSION}"
say "ok: $BIN/actionlint (${ACTIONLINT_VERSION}), $BIN/zizmor (${ZIZMOR_VERSION})"

if [[ "${1:-}" == "--lint" ]]; then
  cd "$ROOT"
  status=0
  say "actionlint .github/workflows/"
  "$BIN/actionlint" -no-color .github/workflows/*.yml || status=1
  say "zizmor .github/workflows/ (offline, pedantic)"
  # --offline: no GitHub API calls (the online audits need a token); every finding fails.
  "$BIN/zizmor" --offline --persona=pedantic --no-progress --format=plain .github/workflows/ || status=1
  exit $status
fi
