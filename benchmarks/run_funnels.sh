#!/usr/bin/env bash
# Funnels, paths and drivers benchmark and the drivers' planted-effects study.
#  1. bench_funnels: 10M synthetic journeys (mean 4 touches, 22 touchpoints, timestamps) built in memory; a
#     5-step windowed event funnel (ordered, strict, unordered), funnel trends, the path explorer and the
#     drivers over about 1,000 candidate features, with 2 threads (wall and CPU seconds, best of 3), and a
#     plain pass over every touch as the floor of the same run;
#  2. the same funnel and drivers with 1 thread;
#  3. planted_drivers: 100k journeys x 20 seeds (false discovery proportion, power, confounding by length).
# usage: benchmarks/run_funnels.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;" \
  "load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ); commit $(git rev-parse --short HEAD)"
echo "== 2 threads"
/usr/bin/time -f "bench_funnels: %e s wall, %U s user + %S s sys CPU, %M KB peak" \
  "$BUILD/bin/bench_funnels" --journeys 10000000 --threads 2 --repeat 3
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1 thread"
"$BUILD/bin/bench_funnels" --journeys 10000000 --threads 1 --repeat 2
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== planted-effects study"
"$BUILD/bin/planted_drivers" --journeys 100000 --seeds 20
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
