#!/usr/bin/env bash
# Does the order choice recover the true order? Journeys drawn from random sparse chains of order 1, 2 and 3
# (construction: tests/cpp/order_chain.hpp), 20,000 and 200,000 journeys of about 10 touches, 5 seeds each,
# orders 1..5 compared (see order_study.cpp). Prints every run and the count of correct recommendations.
# usage: benchmarks/run_order_study.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)"
/usr/bin/time -f "wall %e s, user %U s, peak %M KB" "$BUILD/bin/order_study" --orders 1,2,3 --journeys 20000,200000 --seeds 5 --max-order 5
