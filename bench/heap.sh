#!/usr/bin/env bash
# The planner and the finalizer at 10,000 and 1,000,000 lines under one small heap: the baseline (10,000) and the
# large run must both finish, with peaks of the same order. Writes the lines to paste into BENCHMARKS.md.
#   bench/heap.sh [XMX]      (default 64m)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
xmx="${1:-64m}"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -q -B -f "$root/pom.xml" install -DskipTests >&2
mvn -q -B -f "$root/infra/local/pom.xml" test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/infra/local/target/test-classpath.txt" >&2
cp="$root/infra/local/target/test-classes:$root/infra/local/target/classes:$(cat "$root/infra/local/target/test-classpath.txt")"
for what in plan finalize finalize-parquet; do
  for lines in 10000 1000000; do
    "$JAVA_HOME/bin/java" -Xmx"$xmx" -XX:+UseSerialGC --sun-misc-unsafe-memory-access=allow -cp "$cp" dev.trawl.local.bench.HeapBench "$what" "$lines"
  done
done
