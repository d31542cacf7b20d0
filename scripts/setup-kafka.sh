#!/usr/bin/env bash
# Fetches Apache Kafka (the broker's jars, pinned below) from Maven Central into
# .tools/kafka-$KAFKA_VERSION/libs, for the tests that start a single KRaft broker on 127.0.0.1
# (sdk/python's real-broker tests, packages/cdk's freshness handler test). Needs Java 17+ and
# Maven. Idempotent: a libs folder already holding the pinned kafka jar is left alone.
#
#   scripts/setup-kafka.sh          fetch when missing; prints the libs folder (a java -cp of libs/*)
set -euo pipefail

KAFKA_VERSION=4.1.1
SCALA_VERSION=2.13

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="$ROOT/.tools/kafka-$KAFKA_VERSION"
LIBS="$HOME_DIR/libs"
MARKER="$LIBS/kafka_${SCALA_VERSION}-${KAFKA_VERSION}.jar"

say() { echo "setup-kafka: $*" >&2; }
die() { echo "setup-kafka: error: $*" >&2; exit 1; }

command -v java >/dev/null || die "java is not installed (Kafka $KAFKA_VERSION needs Java 17+: apt-get install openjdk-17-jre-headless)"
JAVA_MAJOR="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[[ "${JAVA_MAJOR%%.*}" -ge 17 ]] 2>/dev/null || die "java is version ${JAVA_MAJOR:-unknown}; Kafka $KAFKA_VERSION needs Java 17+"

if [[ -f "$MARKER" ]]; then
  say "kafka ${KAFKA_VERSION} already in $LIBS"
else
  command -v mvn >/dev/null || die "mvn is not installed (needed to fetch Kafka's jars: apt-get install maven)"
  say "fetching kafka_${SCALA_VERSION} ${KAFKA_VERSION} and its dependencies into $LIBS"
  rm -rf "$HOME_DIR"
  mkdir -p "$HOME_DIR"
  cat >"$HOME_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>data-mesh.tools</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>${KAFKA_VERSION}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_${SCALA_VERSION}</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
  mvn -q -B -Dstyle.color=never -f "$HOME_DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIBS.partial" -DincludeScope=runtime \
    || { rm -rf "$HOME_DIR"; die "mvn dependency:copy-dependencies of org.apache.kafka:kafka_${SCALA_VERSION}:${KAFKA_VERSION} failed (is Maven Central reachable?)"; }
  mv "$LIBS.partial" "$LIBS"
fi

[[ -f "$MARKER" ]] || die "$MARKER is missing after the fetch"
echo "$LIBS"
