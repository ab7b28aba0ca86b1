#!/usr/bin/env bash
# The aggregated-paths CSV path against the cost of reading the bytes: `wc -l` and `journeygraph attribute
# --paths` (orders 1 and 3, Markov and the heuristics) on the same file, back to back in one run, on the files
# of run_attribute.sh (1M journeys over 12 touchpoints, and over 200 touchpoints: 866k distinct paths). Prints,
# per file, order and repetition, wall seconds, CPU seconds (user + sys) and peak memory of each, and the
# ratios attribute / wc -l (wall, and CPU against wc's wall: a shared machine slows the wall time).
#
# Usage: benchmarks/bench_paths.sh [BUILD_DIR] [REPETITIONS] [ORDERS]   (defaults: build, 3, "1 3")
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
REPS=${2:-3}
ORDERS=${3:-1 3}
JG=$BUILD/bin/journeygraph
DATA=benchmarks/data
mkdir -p "$DATA"
gen() {  # name touchpoints extra-args: the files of run_attribute.sh
  local f="$DATA/$1.csv"
  [ -f "$f" ] || "$JG" generate -o "$f" --kind paths --journeys 1000000 --touchpoints "$2" --seed 1 "${@:3}" >/dev/null
  echo "$f"
}
P12=$(gen paths_12tp 12 --mean-touches 4)
P200=$(gen paths_200tp 200 --mean-touches 5 --min-touches 3 --zipf 0.7)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %5s %4s %8s %10s %10s %8s %9s %9s\n' file order rep wc_s wall_s cpu_s peak_MB wall/wc cpu/wc
for f in "$P200" "$P12"; do
  cat "$f" >/dev/null  # in the page cache, as for wc -l
  for k in $ORDERS; do
    for r in $(seq 1 "$REPS"); do
      wc_s=$({ /usr/bin/time -f '%e' wc -l "$f" >/dev/null; } 2>&1)
      run=$({ /usr/bin/time -f '%e %U %S %M' "$JG" attribute "$f" --paths --order "$k" --quiet --format csv \
        -o /dev/null; } 2>&1)
      echo "$(basename "$f") $k $r $wc_s $run" | awk '{
        w = $4 > 0.01 ? $4 : 0.01
        printf "%-28s %5s %4s %8.2f %10.2f %10.2f %8d %9.1f %9.1f\n",
          $1, $2, $3, $4, $5, $6 + $7, $8 / 1024, $5 / w, ($6 + $7) / w }'
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
