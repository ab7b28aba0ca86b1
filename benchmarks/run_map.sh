#!/usr/bin/env bash
# Journey-map benchmark: 1M synthetic journeys over 50 touchpoints and 5 stages (timestamps included).
#  1. bench_map: the map built in memory and every analysis of it (wall and CPU seconds per step);
#  2. the CLI end to end on the same data as an events CSV (read + map + tables + SVG), timed by
#     /usr/bin/time (wall, user + sys CPU, peak memory).
# usage: benchmarks/run_map.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JG=$BUILD/bin/journeygraph
DATA=benchmarks/data
mkdir -p "$DATA"
EVENTS=$DATA/events_1m_50tp.csv
STAGES=$DATA/stages_50tp.csv
[ -f "$EVENTS" ] || "$JG" generate -o "$EVENTS" --kind events --journeys 1000000 --touchpoints 50 --mean-touches 4 \
  --zipf 0.8 --seed 1
if [ ! -f "$STAGES" ]; then  # tp001..tp010 stage1, ..., tp041..tp050 stage5
  { echo "touchpoint,stage"; for i in $(seq 1 50); do printf 'tp%03d,stage%d\n' "$i" $(( (i - 1) / 10 + 1 )); done; } > "$STAGES"
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD/bin/bench_map" --journeys 1000000 --touchpoints 50 --stages 5 --repeat 3
echo "== CLI: $EVENTS ($(($(wc -l < "$EVENTS") - 1)) events)"
/usr/bin/time -f "CLI map (read CSV + map + tables + SVG): %e s wall, %U s user + %S s sys CPU, %M KB peak" \
  "$JG" map "$EVENTS" --events --stages "$STAGES" --quiet --svg "$DATA/map.svg" > /dev/null
/usr/bin/time -f "CLI report (read CSV + map + HTML report): %e s wall, %U s user + %S s sys CPU, %M KB peak" \
  "$JG" report "$EVENTS" --events --stages "$STAGES" --quiet -o "$DATA/report.html"
