#!/usr/bin/env bash
# The gate matmul, one thread, side by side in one run: this project's vector kernel (JMH, on
# the default java, JDK 17 on the project's machines, and on the newest JDK found under
# /usr/lib/jvm), then PyTorch's OpenBLAS on the same shapes, then the ratios.
#
#   tools/compare-matmul.sh [JMH options, e.g. -wi 2 -i 3]
#
# Needs the benchmarks jar (mvn -B -q package -DskipTests), Debian's python3-torch and
# libopenblas0-pthread. OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are unset for PyTorch only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/benchmarks/target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "compare-matmul: $jar is missing; build it with: mvn -B -q package -DskipTests" >&2; exit 1; }

default_java="$(command -v java)"
newest="$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -1 || true)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

run_jmh() { # java binary, output file
  "$1" --add-modules jdk.incubator.vector -cp "$jar" dev.seq2seq.bench.Report "Matmul|FmaPeak" \
      -p backend=vector -jvm "$1" "${@:3}" 2>/dev/null | tee "$2" | sed -n '/^CPU/p; /^| shape/,/^$/p'
}
echo "== this project, $("$default_java" -version 2>&1 | head -1)"
run_jmh "$default_java" "$out/default" "$@"
if [[ -n "$newest" && "$(readlink -f "$newest")" != "$(readlink -f "$default_java")" ]]; then
  echo "== this project, $("$newest" -version 2>&1 | head -1)"
  run_jmh "$newest" "$out/newest" "$@"
else
  cp "$out/default" "$out/newest"
fi
echo "== PyTorch / OpenBLAS"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/tools/pytorch/matmul_reference.py" 1 | tee "$out/torch"
echo

gflops() { # file, shape
  awk -F'|' -v s="$2" '$2 ~ "^ *"s" *$" && $3 ~ /vector/ {gsub(/ /, "", $5); print $5; exit}' "$1"
}
torch_gflops() { # shape
  awk -F'|' -v s="$1" '$2 ~ "^ *"s" *$" {gsub(/ /, "", $3); print $3; exit}' "$out/torch"
}
version() { "$1" -version 2>&1 | head -1 | sed -E 's/.*version "([^"]+)".*/\1/'; }
first="Java $(version "$default_java")"
second="Java $(version "${newest:-$default_java}")"
echo "| shape m x k x n | $first vector | $second vector | OpenBLAS, 1 thread | $first / OpenBLAS | $second / OpenBLAS |"
echo "|---|---:|---:|---:|---:|---:|"
for shape in 64x256x1024 64x320x1024 3840x256x96 64x1024x256; do
  awk -v s="$shape" -v a="$(gflops "$out/default" "$shape")" -v b="$(gflops "$out/newest" "$shape")" \
      -v t="$(torch_gflops "$shape")" \
      'BEGIN { printf "| %s | %.1f | %.1f | %.1f | %.2fx | %.2fx |\n", s, a, b, t, a / t, b / t }'
done
