#!/usr/bin/env bash
# Fairness across tenants on the local stack against a loopback site whose pages answer after a fixed delay: tenant
# B's 40-URL job alone (solo), then the same job created just after tenant A's 20 jobs of 400 URLs at concurrency 64
# (contended), a few runs in one JVM. Prints a line per run and the medians; median_ratio = contended / solo.
#   bench/fairness.sh [none|realistic] [RUNS] [PAGE_MS] [A_JOBS] [A_URLS] [A_CONCURRENCY] [B_URLS] [B_CONCURRENCY]
#   (defaults none 3 200 20 400 64 40 16; realistic adds AWS-like latency to every SDK call, as --aws-latency does)
#   MVN_FLAGS=-o builds offline. The standard queues (plan, finalize, webhook) are always delivered as SQS fair queues
#   (FairQueue); BENCH_JAVA_OPTS=-Dtrawl.fairDelivery=tenant runs phase 1's tenant-fair delivery prototype
#   (FairDelivery) on every queue instead, the FIFO chunk queue included.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
# Built inside the reactor, nothing installed into the local Maven repository (see bench/latency.sh).
mvn ${MVN_FLAGS:-} -q -B -f "$root/pom.xml" -pl infra/local -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/infra/local/target/test-classpath.txt" >&2
cp="$root/infra/local/target/test-classes:$root/infra/local/target/classes:$(cat "$root/infra/local/target/test-classpath.txt")"
"$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -Xmx2g --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dsqlite4java.library.path="$root/infra/local/target/native-libs" -Djdk.httpclient.allowRestrictedHeaders=host \
  -Dtrawl.template="$root/template.yaml" -cp "$cp" dev.trawl.local.bench.FairnessBench "${1:-none}" "${@:2}"
