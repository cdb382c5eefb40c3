#!/usr/bin/env bash
# Times the whole process a user meets, start to exit, beside the PyTorch port doing the same:
# `seq2seq train --epochs 2` (masked padding, then Keras padding; the JVM's start, the data, the
# model, the JIT's warm-up, two epochs with their validation, checkpoints and loss curve, the
# sample translations) against `seq2seq_reference.py --loss-epochs 2 --seeds 1` (Python's start,
# PyTorch's import, the data, two epochs with their validation). Prints each run's seconds and
# peak resident set, and the two ratios.
#
#   tools/compare-whole.sh [--rounds N]
#
# --rounds N runs the three N times, alternated, then gives each ratio's lowest, median and
# highest. The checkpoints go to a temporary folder, removed at the end. Needs what
# tools/compare.sh needs (Debian's python3-torch and libopenblas0-pthread).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=1
if [[ "${1:-}" == --rounds ]]; then
  if [[ ! "${2:-}" =~ ^[1-9][0-9]*$ ]]; then
    echo "compare-whole.sh: --rounds needs a whole number of rounds, 1 or more; got '${2:-}'" >&2
    exit 2
  fi
  rounds="$2"
  shift 2
fi
if (($# > 0)); then
  echo "compare-whole.sh: unknown argument '$1' (only --rounds N)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The child's exit code, its wall-clock seconds and its peak resident set in MiB (the largest
# resident set of the command's process, as the kernel reports it to its parent).
measure='
import resource, subprocess, sys, time
out, command = sys.argv[1], sys.argv[2:]
began = time.monotonic()
with open(out, "w") as sink:
    status = subprocess.run(command, stdout=sink, stderr=subprocess.STDOUT).returncode
seconds = time.monotonic() - began
print(status, f"{seconds:.2f}", f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
'

# Runs a command, its output to $work/out; prints "seconds peak-MiB". On a failure, shows the
# command's output and stops.
timed() {
  local status seconds mib
  read -r status seconds mib < <(/usr/bin/python3 -c "$measure" "$work/out" "$@")
  if [[ "$status" != 0 ]]; then
    cat "$work/out" >&2
    echo "compare-whole.sh: '$*' failed with exit code $status" >&2
    exit 1
  fi
  echo "$seconds $mib"
}

seq2seq_run() { # the options after --epochs 2; a fresh folder each time
  rm -rf "$work/run"
  SEQ2SEQ_QUIET=1 timed "$here/bin/seq2seq" train --epochs 2 -q --model "$work/run/m.safetensors" "$@"
}

ratios="$work/ratios"
echo "| round | seq2seq, masked | seq2seq, Keras padding | PyTorch port | masked ratio | Keras ratio |"
echo "|---|---:|---:|---:|---:|---:|"
for ((round = 1; round <= rounds; round++)); do
  masked_line="$(seq2seq_run)"
  keras_line="$(seq2seq_run --padding keras)"
  port_line="$(timed env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 \
    "$here/tools/pytorch/seq2seq_reference.py" --loss-epochs 2 --seeds 1)"
  read -r masked masked_mib <<<"$masked_line"
  read -r keras keras_mib <<<"$keras_line"
  read -r port port_mib <<<"$port_line"
  awk -v r="$round" -v m="$masked" -v mm="$masked_mib" -v k="$keras" -v km="$keras_mib" -v p="$port" \
      -v pm="$port_mib" -v ratios="$ratios" 'BEGIN {
    printf "| %d | %.2f s, %d MiB | %.2f s, %d MiB | %.2f s, %d MiB | %.2fx | %.2fx |\n", r, m, mm, k, km, p, pm, m / p, k / p
    printf "%.4f %.4f\n", m / p, k / p >> ratios
  }'
done

if ((rounds > 1)); then
  echo
  # the median of an even count is the mean of the two middle ones
  for column in 1 2; do
    sort -g -k "$column,$column" "$ratios" | awk -v c="$column" '
      { v[NR] = $c }
      END {
        median = NR % 2 == 1 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%s: lowest %.2fx, median %.2fx, highest %.2fx the port'"'"'s time\n", \
          c == 1 ? "masked padding" : "Keras padding", v[1], median, v[NR]
      }'
  done
fi
