#!/usr/bin/env bash
# A large upload job end to end on the local stack against a loopback site (dev.trawl.local.bench.MillionBench):
# plan, fetch and finalize times, the fetch rate, the JVM's heap per phase, the machine's load, and the result streamed
# back with every row checked present once and in input order. Prints the lines to paste into BENCHMARKS.md.
#   bench/million.sh [URLS] [CONCURRENCY] [LATENCY]      (default 1000000 256 realistic; LATENCY none|realistic)
#   XMX=3g (default) bounds the one JVM that runs every function and emulator of the local stack.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/local-stack.sh"
urls="${1:-1000000}"
concurrency="${2:-256}"
latency="${3:-realistic}"
echo "start $(date -u +%FT%TZ) $(uptime)" >&2
# nodelay: without it the JDK's HTTP server waits on delayed ACKs, and the site, not the service, sets the pace.
local_stack_java -Xmx"${XMX:-3g}" -Dsun.net.httpserver.nodelay=true \
  dev.trawl.local.bench.MillionBench "$urls" "$concurrency" "$latency"
echo "end $(date -u +%FT%TZ) $(uptime)" >&2
