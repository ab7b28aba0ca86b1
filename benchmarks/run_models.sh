#!/usr/bin/env bash
# Benchmarks of the attribution models beyond removal effects (see bench_models.cpp): the bootstrap target
# (200 replicates of order-1 removal effects, 1M journeys, 12 touchpoints) and Shapley (1M journeys, 20
# touchpoints), plus every model once and with 200 replicates. Wall and CPU time of each timed call.
# usage: benchmarks/run_models.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
B=$BUILD/bin/bench_models
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
echo "== bootstrap: 200 replicates of order-1 removal effects, 1M journeys, 12 touchpoints"
"$B" bootstrap --journeys 1000000 --touchpoints 12 --replicates 200 --order 1
echo "== shapley: 1M journeys, 20 touchpoints"
"$B" shapley --journeys 1000000 --touchpoints 20
echo "== every model, 1M journeys, 12 touchpoints"
"$B" models --journeys 1000000 --touchpoints 12 --replicates 200
