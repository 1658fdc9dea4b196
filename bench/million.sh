#!/usr/bin/env bash
# A large upload job end to end on the local stack against a loopback site (dev.trawl.local.bench.MillionBench):
# plan, fetch and finalize times, the fetch rate, the JVM's heap per phase, the machine's load, and the result streamed
# back with every row checked present once and in input order. Prints the lines to paste into BENCHMARKS.md.
#   bench/million.sh [URLS] [CONCURRENCY] [LATENCY]      (default 1000000 256 realistic; LATENCY none|realistic)
#   XMX=3g (default) bounds the one JVM that runs every function and emulator of the local stack.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
# Built inside the reactor, nothing installed into the local Maven repository (as bench/latency.sh).
mvn -q -B -f "$root/pom.xml" -pl infra/local -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/infra/local/target/test-classpath.txt" >&2
cp="$root/infra/local/target/test-classes:$root/infra/local/target/classes:$(cat "$root/infra/local/target/test-classpath.txt")"
urls="${1:-1000000}"
concurrency="${2:-256}"
latency="${3:-realistic}"
echo "start $(date -u +%FT%TZ) $(uptime)" >&2
# nodelay: without it the JDK's HTTP server waits on delayed ACKs, and the site, not the service, sets the pace.
"$JAVA_HOME/bin/java" -Xmx"${XMX:-3g}" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dsun.net.httpserver.nodelay=true \
  -Dsqlite4java.library.path="$root/infra/local/target/native-libs" -Djdk.httpclient.allowRestrictedHeaders=host \
  -Dtrawl.template="$root/template.yaml" -cp "$cp" dev.trawl.local.bench.MillionBench "$urls" "$concurrency" "$latency"
echo "end $(date -u +%FT%TZ) $(uptime)" >&2
