#!/usr/bin/env bash
# The SDK's test command (npm test here, and from the root through turbo): the SDK venv from the
# lock, the Kafka jars, then pytest. Without Java or Maven the broker tests skip with the fix
# printed; with CI=true a missing broker fails the run instead.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(cd ../.. && pwd)"
PY="$(bash "$ROOT/scripts/setup-sdk.sh")"
if ! bash "$ROOT/scripts/setup-kafka.sh" >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "sdk/python: error: scripts/setup-kafka.sh failed: the real-broker tests cannot run" >&2
    exit 1
  fi
  echo "sdk/python: SKIPPED: the real-broker tests (run scripts/setup-kafka.sh; it needs Java 17+ and Maven)" >&2
fi
exec "$PY" -m pytest "$@"
