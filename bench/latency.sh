#!/usr/bin/env bash
# One upload job end to end on the local stack against a loopback site, without AWS latency (baseline) and with
# realistic latency (--aws-latency realistic), each in a fresh JVM. Prints the lines to paste into BENCHMARKS.md.
#   bench/latency.sh [URLS] [CONCURRENCY]      (default 10000 64)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
# Built inside the reactor, nothing installed into the local Maven repository: the classpath of infra/local's tests
# then names the other modules' target folders (each module of the run writes the file; infra/local, the last, stays).
mvn -q -B -f "$root/pom.xml" -pl infra/local -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/infra/local/target/test-classpath.txt" >&2
cp="$root/infra/local/target/test-classes:$root/infra/local/target/classes:$(cat "$root/infra/local/target/test-classpath.txt")"
urls="${1:-10000}"
concurrency="${2:-64}"
for latency in none realistic; do
  "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dsqlite4java.library.path="$root/infra/local/target/native-libs" -Djdk.httpclient.allowRestrictedHeaders=host \
    -Dtrawl.template="$root/template.yaml" -cp "$cp" dev.trawl.local.bench.JobBench "$latency" "$urls" "$concurrency"
done
