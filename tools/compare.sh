#!/usr/bin/env bash
# Runs the Java translator's `bench` and the PyTorch reference one after the other, on the same
# machine in the same run, and prints both columns with their ratio.
#
#   tools/compare.sh [extra bench flags]
#
# Needs Debian's python3-torch and libopenblas0-pthread. OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are
# unset for PyTorch only (they force older, slower OpenBLAS kernels on some machines).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_out="$(mktemp)"
torch_out="$(mktemp)"
trap 'rm -f "$java_out" "$torch_out"' EXIT

SEQ2SEQ_QUIET=1 "$here/bin/seq2seq" bench "$@" 2>/dev/null | tee "$java_out"
echo
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/tools/pytorch/seq2seq_reference.py" | tee "$torch_out"
echo

field() { # file, line pattern, awk field expression
  grep -E "$2" "$1" | head -1 | awk "{print $3}"
}
java_keras="$(field "$java_out" '^keras' '$5')"
java_masked="$(field "$java_out" '^masked' '$5')"
torch_keras="$(field "$torch_out" '^keras' '$5')"
java_single="$(grep -E '^decoding \(greedy, [0-9]' "$java_out" | sed -E 's/.*batch 1 ([0-9.]+) ms.*/\1/')"
torch_single="$(grep -E '^decoding \(greedy' "$torch_out" | sed -E 's/.*batch 1 ([0-9.]+) ms.*/\1/')"
java_batched="$(grep -E '^decoding \(greedy, [0-9]' "$java_out" | sed -E 's/.*batch 64 ([0-9.]+) sentences.*/\1/')"
java_bf16_single="$(grep -E '^decoding \(greedy, bf16' "$java_out" | sed -E 's/.*batch 1 ([0-9.]+) ms.*/\1/')"
torch_batched="$(grep -E '^decoding \(greedy' "$torch_out" | sed -E 's/.*batch 64 ([0-9.]+) sentences.*/\1/')"
java_beam_single="$(grep -E '^decoding \(beam' "$java_out" | sed -E 's/.*batch 1 ([0-9.]+) ms.*/\1/')"
torch_beam_single="$(grep -E '^decoding \(beam' "$torch_out" | sed -E 's/.*batch 1 ([0-9.]+) ms.*/\1/')"
java_beam_batched="$(grep -E '^decoding \(beam' "$java_out" | sed -E 's/.*batch 64 ([0-9.]+) sentences.*/\1/')"
torch_beam_batched="$(grep -E '^decoding \(beam' "$torch_out" | sed -E 's/.*batch 64 ([0-9.]+) sentences.*/\1/')"
java_rss="$(grep -E '^peak memory' "$java_out" | sed -E 's/.*resident set ([0-9]+) MB.*/\1/')"
torch_rss="$(grep -E '^peak memory' "$torch_out" | sed -E 's/.*resident set ([0-9]+) MB.*/\1/')"

awk -v jk="$java_keras" -v jm="$java_masked" -v tk="$torch_keras" -v js="$java_single" -v ts="$torch_single" -v jh="$java_bf16_single" \
    -v jb="$java_batched" -v tb="$torch_batched" -v jr="$java_rss" -v tr="$torch_rss" \
    -v jbs="$java_beam_single" -v tbs="$torch_beam_single" -v jbb="$java_beam_batched" -v tbb="$torch_beam_batched" 'BEGIN {
  printf "| measure | this project | PyTorch | ratio |\n|---|---:|---:|---:|\n"
  printf "| training epoch, Keras padding (s) | %.2f | %.2f | %.2fx the time |\n", jk, tk, jk / tk
  printf "| training epoch, masked padding (s) | %.2f | %.2f (Keras padding) | %.2fx the time |\n", jm, tk, jm / tk
  printf "| greedy decoding, batch 1 (ms per sentence) | %.3f | %.3f | %.1fx the speed |\n", js, ts, ts / js
  if (jh != "") {
    printf "| greedy decoding, batch 1, bf16 step weights (ms per sentence) | %.3f | %.3f (float32) | %.1fx the speed |\n", jh, ts, ts / jh
  }
  printf "| greedy decoding, batch 64 (sentences/s) | %.0f | %.0f | %.1fx the speed |\n", jb, tb, jb / tb
  if (jbs != "" && tbs != "") {
    printf "| beam 5 decoding, batch 1 (ms per sentence) | %.3f | %.3f | %.1fx the speed |\n", jbs, tbs, tbs / jbs
    printf "| beam 5 decoding, batch 64 (sentences/s) | %.0f | %.0f | %.1fx the speed |\n", jbb, tbb, jbb / tbb
  }
  printf "| peak resident set (MB) | %d | %d | %.2fx |\n", jr, tr, jr / tr
}'
