#!/usr/bin/env bash
# The planner on an N-URL upload at AWS-like latency (S3 PUT 30 ms, GET 20 ms to the first byte, SQS send 10 ms,
# DynamoDB reads 5 ms, writes 8 ms): as it was (one chunk file and one message batch at a time: the baseline) and as
# it is (writes and batches in flight together), in one JVM. Checks every line in its chunk, in order, sent once.
#   bench/plan-latency.sh [LINES] [baseline|parallel|both]      (default 1000000 both)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -q -B -f "$root/pom.xml" -pl functions/core test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/functions/core/target/test-classpath.txt" >&2
cp="$root/functions/core/target/test-classes:$root/functions/core/target/classes:$(cat "$root/functions/core/target/test-classpath.txt")"
"$JAVA_HOME/bin/java" -Xmx1g --sun-misc-unsafe-memory-access=allow -cp "$cp" dev.trawl.core.plan.PlanLatencyBench "${1:-1000000}" "${2:-both}"
