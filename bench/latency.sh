#!/usr/bin/env bash
# One upload job end to end on the local stack against a loopback site, without AWS latency (baseline) and with
# realistic latency (--aws-latency realistic), each in a fresh JVM. Prints the lines to paste into BENCHMARKS.md.
#   bench/latency.sh [URLS] [CONCURRENCY]      (default 10000 64)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local-stack.sh"
urls="${1:-10000}"
concurrency="${2:-64}"
for latency in none realistic; do
  local_stack_java -Xmx2g dev.trawl.local.bench.JobBench "$latency" "$urls" "$concurrency"
done
