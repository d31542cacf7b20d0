#!/usr/bin/env bash
# Installs the pinned policy toolchain (opa, regal) into <repo>/.tools/bin.
# Idempotent: a binary already there at the pinned version is left alone; a missing one or one
# of another version is (re)built with Go from the Go module proxy. Versions: tools/versions.env.
#
#   scripts/setup-tools.sh            install what is missing
#   scripts/setup-tools.sh --check    only report; exit 1 when something is missing or stale
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
BIN="${MESH_TOOLS_BIN:-$ROOT/.tools/bin}"
CHECK_ONLY=0
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=1

say() { echo "setup-tools: $*"; }
die() { echo "setup-tools: error: $*" >&2; exit 1; }

opa_version() { # prints the version of an opa binary, or nothing
  "$1" version 2>/dev/null | sed -n 's/^Version: *//p' | head -n1
}
regal_version() {
  "$1" version 2>/dev/null | sed -n 's/^Version: *//p' | head -n1
}

need_go() {
  command -v go >/dev/null 2>&1 || die "Go is not installed (need Go >= 1.25 to build opa ${OPA_VERSION} and regal ${REGAL_VERSION}). Install Go, or on GitHub runners use open-policy-agent/setup-opa with version ${OPA_VERSION}."
}

install_opa() {
  need_go
  say "installing opa v${OPA_VERSION} into $BIN (go install ${OPA_MODULE}@v${OPA_VERSION}; takes a few minutes the first time)"
  GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -trimpath" go install "${OPA_MODULE}@v${OPA_VERSION}"
}

install_regal() {
  need_go
  say "installing regal v${REGAL_VERSION} into $BIN (${REGAL_MODULE}@v${REGAL_VERSION}; takes a few minutes the first time)"
  # `go install module@version` asks the proxy for the module's version list to look for a
  # deprecation notice, and the proxy refuses that list for regal: download the exact
  # version instead and build it, stamping the version the way regal's release does.
  local dir tmp
  dir="$(go mod download -json "${REGAL_MODULE}@v${REGAL_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "could not download ${REGAL_MODULE}@v${REGAL_VERSION} from the Go module proxy"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  cp -r "$dir/." "$tmp/"
  chmod -R u+w "$tmp"
  (cd "$tmp" && go build -trimpath \
    -ldflags "-X ${REGAL_MODULE}/pkg/version.Version=v${REGAL_VERSION}" \
    -o "$BIN/regal" .)
}

mkdir -p "$BIN"
stale=0

have="$( [[ -x "$BIN/opa" ]] && opa_version "$BIN/opa" || true)"
if [[ "$have" == "$OPA_VERSION" ]]; then
  say "opa ${OPA_VERSION} already in $BIN"
else
  [[ -n "$have" ]] && say "opa in $BIN is ${have}, pinned is ${OPA_VERSION}" || say "opa missing from $BIN"
  stale=1
  [[ $CHECK_ONLY == 1 ]] || install_opa
fi

have="$( [[ -x "$BIN/regal" ]] && regal_version "$BIN/regal" || true)"
if [[ "$have" == "v${REGAL_VERSION}" || "$have" == "${REGAL_VERSION}" ]]; then
  say "regal ${REGAL_VERSION} already in $BIN"
else
  [[ -n "$have" ]] && say "regal in $BIN is ${have}, pinned is ${REGAL_VERSION}" || say "regal missing from $BIN"
  stale=1
  [[ $CHECK_ONLY == 1 ]] || install_regal
fi

if [[ $CHECK_ONLY == 1 ]]; then
  exit $stale
fi
# Verify what we installed really is the pinned version.
[[ "$(opa_version "$BIN/opa")" == "$OPA_VERSION" ]] || die "opa in $BIN does not report version ${OPA_VERSION}"
have="$(regal_version "$BIN/regal")"
[[ "$have" == "v${REGAL_VERSION}" || "$have" == "${REGAL_VERSION}" ]] || die "regal in $BIN reports '${have}', expected ${REGAL_VERSION}"
say "ok: $BIN/opa (${OPA_VERSION}), $BIN/regal (${REGAL_VERSION})"
