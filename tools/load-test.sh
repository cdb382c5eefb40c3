#!/usr/bin/env bash
# The load test of `seq2seq serve` (BENCHMARKS.md): 2,000 one-sentence requests from 16 clients on
# loopback, to a batching server and to one that decodes each request alone; throughput, p50/p99
# latency, and a check of every answer against the single-threaded translation.
# Usage: tools/load-test.sh MODEL [REQUESTS] [CLIENTS]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[[ $# -ge 1 ]] || { echo "usage: tools/load-test.sh MODEL [REQUESTS] [CLIENTS]" >&2; exit 2; }
"$here/bin/seq2seq" --version >/dev/null   # builds the jar when sources changed
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" ${SEQ2SEQ_JAVA_OPTS:--Xmx2g} --add-modules jdk.incubator.vector \
  -cp "$here/seq2seq-app/target/seq2seq.jar" dev.seq2seq.app.serve.LoadTest "$@"
