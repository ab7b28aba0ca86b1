#!/usr/bin/env bash
# Scale benchmark: events from in-memory arrays (bench_scale) from 1e5 to 1e8 touches at order 1, orders 1-4
# at 1e7 touches, 1 against 2 threads, and the same 100M touches read from an events CSV by the CLI.
# usage: benchmarks/run_scale.sh [BUILD_DIR] [--no-csv]
# The 100M-row CSV (about 3.6 GB) is generated once into benchmarks/data/ (seeded).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
CSV=1
[ "${2:-}" = "--no-csv" ] && CSV=0
SCALE=$BUILD/bin/bench_scale
JG=$BUILD/bin/journeygraph
TIME="/usr/bin/time -f %e_s_wall_%U_s_user_%S_s_sys_%M_KB_peak"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;" \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"

echo "== size, order 1, 50 touchpoints, 2 threads"
for n in 1e5 1e6 1e7 1e8; do "$SCALE" --touches "$n" --threads 2; done
echo "== size 1e8 with timestamps kept in the JourneySet"
"$SCALE" --touches 1e8 --threads 2 --keep-times
echo "== threads, 1e8 touches, order 1"
"$SCALE" --touches 1e8 --threads 1
echo "== orders 1-4, 1e7 touches, 1 and 2 threads"
for k in 1 2 3 4; do
  for t in 1 2; do "$SCALE" --touches 1e7 --order "$k" --threads "$t"; done
done

if [ "$CSV" = 1 ]; then
  mkdir -p benchmarks/data
  F=benchmarks/data/events_100m.csv
  [ -f "$F" ] || "$JG" generate -o "$F" --kind events --journeys 10000000 --touchpoints 50 --mean-touches 10 --seed 1
  echo "== events CSV, $(($(wc -l < "$F") - 1)) rows, order-1 attribution through the CLI (markov only)"
  for t in 2 1; do
    $TIME "$JG" attribute "$F" --events --models markov --threads "$t" --quiet --format csv -o /dev/null
  done
fi
