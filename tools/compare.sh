#!/usr/bin/env bash
# Runs the Java translator's `bench` and the PyTorch reference one after the other, on the same
# machine in the same run, and prints both columns with their ratio.
#
#   tools/compare.sh [--rounds N] [extra bench flags]
#
# With --attention general among the bench flags both sides time the attention model (Luong's
# general score with input feeding); the reference has no other attention.
#
# --rounds N runs the pair N times, alternated, with a table for each round, then the range and
# median of each ratio: on a shared host one round can land in a slow stretch of either side.
#
# Needs Debian's python3-torch and libopenblas0-pthread. OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are
# unset for PyTorch only (they force older, slower OpenBLAS kernels on some machines).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=1
if [[ "${1:-}" == --rounds ]]; then
  if [[ ! "${2:-}" =~ ^[1-9][0-9]*$ ]]; then
    echo "compare.sh: --rounds needs a whole number of rounds, 1 or more; got '${2:-}'" >&2
    exit 2
  fi
  rounds="$2"
  shift 2
fi
# the reference's own flags: the attention model when bench is asked for it
torch_flags=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --attention=*) score="${args[i]#--attention=}" ;;
    --attention) score="${args[i + 1]:-}" ;;
    *) continue ;;
  esac
  case "$score" in
    none) ;;
    general) torch_flags=(--attention general) ;;
    *) echo "compare.sh: the PyTorch reference has general attention only (and none); got --attention '$score'" >&2
       exit 2 ;;
  esac
done
java_out="$(mktemp)"
torch_out="$(mktemp)"
ratios="$(mktemp)"
trap 'rm -f "$java_out" "$torch_out" "$ratios"' EXIT

field() { # file, line pattern, awk field expression
  grep -E "$2" "$1" | head -1 | awk "{print $3}"
}

# One round: both sides' runs, their table, and each ratio appended to $ratios.
one_round() {
  SEQ2SEQ_QUIET=1 "$here/bin/seq2seq" bench "$@" 2>/dev/null | tee "$java_out"
  echo
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/tools/pytorch/seq2seq_reference.py" ${torch_flags[@]+"${torch_flags[@]}"} | tee "$torch_out"
  echo

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
      -v jbs="$java_beam_single" -v tbs="$torch_beam_single" -v jbb="$java_beam_batched" -v tbb="$torch_beam_batched" \
      -v ratios="$ratios" '
  function keep(label, ratio, kind) { printf "%s\t%.4f\t%s\n", label, ratio, kind >> ratios }
  BEGIN {
    printf "| measure | this project | PyTorch | ratio |\n|---|---:|---:|---:|\n"
    printf "| training epoch, Keras padding (s) | %.2f | %.2f | %.2fx the time |\n", jk, tk, jk / tk
    keep("training epoch, Keras padding", jk / tk, "the time")
    printf "| training epoch, masked padding (s) | %.2f | %.2f (Keras padding) | %.2fx the time |\n", jm, tk, jm / tk
    keep("training epoch, masked padding", jm / tk, "the time")
    printf "| greedy decoding, batch 1 (ms per sentence) | %.3f | %.3f | %.1fx the speed |\n", js, ts, ts / js
    keep("greedy decoding, batch 1", ts / js, "the speed")
    if (jh != "") {
      printf "| greedy decoding, batch 1, bf16 step weights (ms per sentence) | %.3f | %.3f (float32) | %.1fx the speed |\n", jh, ts, ts / jh
      keep("greedy decoding, batch 1, bf16 step weights", ts / jh, "the speed")
    }
    printf "| greedy decoding, batch 64 (sentences/s) | %.0f | %.0f | %.1fx the speed |\n", jb, tb, jb / tb
    keep("greedy decoding, batch 64", jb / tb, "the speed")
    if (jbs != "" && tbs != "") {
      printf "| beam 5 decoding, batch 1 (ms per sentence) | %.3f | %.3f | %.1fx the speed |\n", jbs, tbs, tbs / jbs
      printf "| beam 5 decoding, batch 64 (sentences/s) | %.0f | %.0f | %.1fx the speed |\n", jbb, tbb, jbb / tbb
      keep("beam 5 decoding, batch 1", tbs / jbs, "the speed")
      keep("beam 5 decoding, batch 64", jbb / tbb, "the speed")
    }
    printf "| peak resident set (MB) | %d | %d | %.2fx |\n", jr, tr, jr / tr
    keep("peak resident set", jr / tr, "")
  }'
}

for ((round = 1; round <= rounds; round++)); do
  if ((rounds > 1)); then
    echo "## round $round of $rounds"
    echo
  fi
  one_round "$@"
  echo
done

if ((rounds > 1)); then
  echo "## $rounds rounds: each ratio's lowest, median and highest"
  echo
  # rows in the order the tables give them; the median of an even count is the mean of the two middle ones
  awk -F '\t' '
    !($1 in count) { order[++measures] = $1; kind[$1] = $3 }
    { values[$1, ++count[$1]] = $2 }
    END {
      printf "| measure | lowest | median | highest | ratio of |\n|---|---:|---:|---:|---|\n"
      for (m = 1; m <= measures; m++) {
        name = order[m]; n = count[name]
        for (i = 1; i <= n; i++) { sorted[i] = values[name, i] }
        for (i = 2; i <= n; i++) {
          v = sorted[i]
          for (j = i - 1; j >= 1 && sorted[j] > v; j--) { sorted[j + 1] = sorted[j] }
          sorted[j + 1] = v
        }
        median = n % 2 == 1 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
        printf "| %s | %.2fx | %.2fx | %.2fx | %s |\n", name, sorted[1], median, sorted[n], \
          kind[name] == "" ? "memory" : kind[name]
      }
    }' "$ratios"
fi
