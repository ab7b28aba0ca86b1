#!/usr/bin/env bash
# Order sweep: exact attribution at orders 1 to 6 on the 12- and 50-touchpoint paths files (1M journeys each,
# seeded, generated once into benchmarks/data/) and on ChannelAttribution's sample paths
# (tests/data/reference/pathdata.csv). For each order it prints the states, the largest strongly connected
# component and the seconds of each stage (bench_attribute), then checks that no order is slower than the next
# one up by more than the growth in states: t(k) / t(k+1) <= states(k+1) / states(k), where t is the CPU seconds
# of counting, fitting and removal effects (the process's CPU time less that of reading the file: on a shared
# machine wall time measures the neighbours as much as the work). Times under ORDERS_NOISE_S (default 0.05 s)
# are raised to it first: below that the check would only compare timer noise.
# Each run is capped: ORDERS_TIME_LIMIT_S seconds of wall time (default 300) and ORDERS_MEMORY_LIMIT_MB of
# virtual memory (default 4096). A run over a cap is refused with the limit named, and the higher orders of
# that file are not run (they only grow).
# usage: benchmarks/run_orders.sh [BUILD_DIR] [--threads N] [--max-order K]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
THREADS=2
MAX_ORDER=6
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=$2; shift 2 ;;
    --max-order) MAX_ORDER=$2; shift 2 ;;
    *) echo "usage: benchmarks/run_orders.sh [BUILD_DIR] [--threads N] [--max-order K]" >&2; exit 2 ;;
  esac
done
TIME_LIMIT=${ORDERS_TIME_LIMIT_S:-300}
MEMORY_LIMIT=${ORDERS_MEMORY_LIMIT_MB:-4096}
NOISE=${ORDERS_NOISE_S:-0.05}
JG=$BUILD/bin/journeygraph
BENCH=$BUILD/bin/bench_attribute
for b in "$JG" "$BENCH"; do
  [ -x "$b" ] || { echo "run_orders.sh: $b not found: build the targets journeygraph_cli and bench_attribute" >&2; exit 2; }
done
DATA=benchmarks/data
mkdir -p "$DATA"

gen() {  # name touchpoints
  local f="$DATA/$1.csv"
  [ -f "$f" ] || "$JG" generate -o "$f" --kind paths --journeys 1000000 --touchpoints "$2" --mean-touches 4 --seed 1
  echo "$f"
}
P12=$(gen paths_12tp 12)
P50=$(gen paths_50tp 50)
REF=tests/data/reference/pathdata.csv

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;" \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M') UTC;" \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); threads $THREADS;" \
  "caps ${TIME_LIMIT} s, ${MEMORY_LIMIT} MB per run"
status=0
for f in "$REF" "$P12" "$P50"; do
  echo "== $f: $(($(wc -l < "$f") - 1)) distinct paths"
  printf '%5s %10s %10s %8s %8s %8s %8s %8s %11s %9s\n' order states largest read_s count_s fit_s remove_s stages_s \
    stages_cpu_s peak_MB
  rows=()
  for k in $(seq 1 "$MAX_ORDER"); do
    out=$( (ulimit -v $((MEMORY_LIMIT * 1024)); exec timeout "$TIME_LIMIT" "$BENCH" "$f" --paths --order "$k" \
      --threads "$THREADS") 2>&1) && rc=0 || rc=$?
    if [ "$rc" = 124 ]; then
      echo "order $k: refused: over the time limit of $TIME_LIMIT s per run (ORDERS_TIME_LIMIT_S); higher orders skipped"
      break
    elif [ "$rc" != 0 ]; then
      if grep -qi "memory\|bad_alloc" <<<"$out"; then
        echo "order $k: refused: over the memory limit of $MEMORY_LIMIT MB per run (ORDERS_MEMORY_LIMIT_MB);" \
          "higher orders skipped"
      else
        echo "order $k: failed (exit $rc): $(tail -n 3 <<<"$out")"
        status=1
      fi
      break
    fi
    read_s=$(sed -n 's/.*; read \([0-9.]*\) s;.*/\1/p' <<<"$out")
    read_cpu=$(sed -n 's/.*; read_cpu \([0-9.]*\) s;.*/\1/p' <<<"$out")
    # bench_attribute's order line: order states largest count fit remove total cpu iters residual peak
    line=$(awk -v k="$k" '$1 == k && NF == 11' <<<"$out")
    if [ -z "$line" ]; then
      echo "order $k: no result line in: $out"
      status=1
      break
    fi
    read -r _ states largest count fit remove _ cpu _ _ peak <<<"$line"
    stages=$(awk -v a="$count" -v b="$fit" -v c="$remove" 'BEGIN { printf "%.3f", a + b + c }')
    stages_cpu=$(awk -v a="$cpu" -v b="$read_cpu" 'BEGIN { printf "%.3f", a - b }')
    printf '%5s %10s %10s %8s %8s %8s %8s %8s %11s %9s\n' "$k" "$states" "$largest" "$read_s" "$count" "$fit" \
      "$remove" "$stages" "$stages_cpu" "$peak"
    rows+=("$k $states $stages_cpu")
  done
  # No cliff: each order against the next one up.
  for ((i = 0; i + 1 < ${#rows[@]}; ++i)); do
    read -r k s1 t1 <<<"${rows[i]}"
    read -r k2 s2 t2 <<<"${rows[i + 1]}"
    awk -v k="$k" -v k2="$k2" -v s1="$s1" -v s2="$s2" -v t1="$t1" -v t2="$t2" -v noise="$NOISE" 'BEGIN {
      a = t1 < noise ? noise : t1; b = t2 < noise ? noise : t2
      slower = a / b; growth = s2 / s1
      ok = slower <= growth
      printf "check order %d vs %d: CPU ratio %.2f (%.3f s / %.3f s, floor %.2f s) <= state growth %.2f (%d -> %d): %s\n",
             k, k2, slower, t1, t2, noise, growth, s1, s2, ok ? "ok" : "FAIL"
      exit ok ? 0 : 1
    }' || status=1
  done
done
exit "$status"
