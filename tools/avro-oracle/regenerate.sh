#!/usr/bin/env bash
# Regenerates packages/schema-compat/test/fixtures/oracle-pairs.json: generates the
# reader/writer pairs, asks Apache Avro's Java SchemaCompatibility for its verdict on each,
# and stores pairs + verdicts so the jest suite runs without Java.
# Needs Java 17+ and Maven (Maven Central reachable, or the dependencies in ~/.m2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
fixture="$repo/packages/schema-compat/test/fixtures/oracle-pairs.json"
work="$here/target"

command -v java >/dev/null || { echo "java not found: install a JDK 17+" >&2; exit 2; }
command -v mvn >/dev/null || { echo "mvn not found: install Maven" >&2; exit 2; }

mkdir -p "$work" "$(dirname "$fixture")"
node "$here/generate-pairs.js" "$work/pairs.json"
mvn -q -B -f "$here/pom.xml" compile dependency:copy-dependencies -DoutputDirectory="$work/lib"
classpath="$work/classes:$(find "$work/lib" -name '*.jar' | sort | tr '\n' ':')"
# SLF4J warns that no logger is bound: that line is noise, anything else is shown.
java -cp "$classpath" meshoracle.CompatibilityOracle "$work/pairs.json" "$work/verdicts.json" 2> >(grep -v "^SLF4J" >&2)
node "$here/build-fixture.js" "$work/pairs.json" "$work/verdicts.json" "$fixture"
echo "wrote $fixture ($(node -e "console.log(require('$fixture').pairs.length)") pairs)"
