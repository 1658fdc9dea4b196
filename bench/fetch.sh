#!/usr/bin/env bash
# The worker's fetch path on loopback: plain pages (baseline), gzip-encoded pages, and pages with extraction.
# Prints a table to paste into BENCHMARKS.md.
#   bench/fetch.sh [PAGES] [IN_FLIGHT]      (default 20000 64)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -q -B -f "$root/pom.xml" install -DskipTests >&2
mvn -q -B -f "$root/infra/local/pom.xml" test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/infra/local/target/test-classpath.txt" >&2
cp="$root/infra/local/target/test-classes:$root/infra/local/target/classes:$(cat "$root/infra/local/target/test-classpath.txt")"
"$JAVA_HOME/bin/java" -Xmx1g -Djdk.httpclient.allowRestrictedHeaders=host -Dbench.pages="${1:-20000}" \
  -Dsun.net.httpserver.nodelay=true -Dbench.inFlight="${2:-64}" -cp "$cp" dev.trawl.local.bench.FetchBench
