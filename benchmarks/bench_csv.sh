#!/usr/bin/env bash
# The events CSV path against the cost of reading the bytes: `wc -l` and `journeygraph attribute` (order-1
# Markov and the heuristics) on the same file, back to back in one run, with 1 and 2 threads. Prints, per
# repetition, wall seconds, CPU seconds and peak memory, and the ratios attribute / wc -l and 1 thread / 2
# threads. The file is made once by `journeygraph generate` (10M rows for the default 2.5M journeys).
#
# Usage: benchmarks/bench_csv.sh [JOURNEYS] [REPETITIONS]   (BIN=build/bin/journeygraph by default)
set -euo pipefail
BIN=${BIN:-build/bin/journeygraph}
JOURNEYS=${1:-2500000}
REPS=${2:-3}
FILE=${TMPDIR:-/tmp}/jg_bench_events_${JOURNEYS}.csv
[ -f "$FILE" ] || "$BIN" generate --kind events --journeys "$JOURNEYS" --touchpoints 50 -o "$FILE" >/dev/null
cat "$FILE" >/dev/null  # in the page cache, as for wc -l
echo "file $FILE: $(stat -c %s "$FILE") bytes, $(wc -l <"$FILE") lines; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %10s %12s %12s %12s %12s %10s %10s\n' rep wc_s t1_wall_s t1_cpu_s t2_wall_s t2_cpu_s t1/wc t1/t2
for r in $(seq 1 "$REPS"); do
  wc_s=$({ /usr/bin/time -f '%e' wc -l "$FILE" >/dev/null; } 2>&1)
  one=$({ /usr/bin/time -f '%e %U %S %M' "$BIN" attribute "$FILE" --events --threads 1 --quiet >/dev/null; } 2>&1)
  two=$({ /usr/bin/time -f '%e %U %S %M' "$BIN" attribute "$FILE" --events --threads 2 --quiet >/dev/null; } 2>&1)
  echo "$r $wc_s $one $two" | awk '{
    printf "%-4s %10.2f %12.2f %12.2f %12.2f %12.2f %10.1f %10.2f   peak %d / %d MB\n",
      $1, $2, $3, $4 + $5, $7, $8 + $9, $3 / ($2 > 0.01 ? $2 : 0.01), $3 / $7, $6 / 1024, $10 / 1024 }'
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
