#!/usr/bin/env bash
# Attribution benchmark: generates the data sets (seeded, cached in benchmarks/data/), then times the CLI
# end to end (parse + fit + exact removal effects) with /usr/bin/time, and prints the stage breakdown.
# usage: benchmarks/run_attribute.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
JG=$BUILD/bin/journeygraph
DATA=benchmarks/data
mkdir -p "$DATA"

# 1M journeys each; 200 touchpoints with min 3 touches gives ~870k distinct paths.
gen() {  # name touchpoints extra-args
  local f="$DATA/$1.csv"
  [ -f "$f" ] || "$JG" generate -o "$f" --kind paths --journeys 1000000 --touchpoints "$2" --seed 1 "${@:3}"
  echo "$f"
}
P12=$(gen paths_12tp 12 --mean-touches 4)
P200=$(gen paths_200tp 200 --mean-touches 5 --min-touches 3 --zipf 0.7)

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%Y-%m-%d)"
for f in "$P12" "$P200"; do
  echo "== $f: $(($(wc -l < "$f") - 1)) distinct paths"
  for k in 1 3; do
    /usr/bin/time -f "CLI order $k: %e s wall, %M KB peak" "$JG" attribute "$f" --paths --order "$k" --quiet \
      --format csv -o /dev/null
  done
  "$BUILD/bin/bench_attribute" "$f" --paths --order 1 --order 2 --order 3
done
