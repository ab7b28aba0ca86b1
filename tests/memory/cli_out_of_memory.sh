#!/usr/bin/env bash
# The CLI under a capped address space (ulimit -v): it must either succeed with exactly the uncapped answer or
# exit with status 1 and the one-line message "journeygraph: error: out of memory" -- never crash, never abort,
# never print another error. Usage: cli_out_of_memory.sh CLI WORKDIR
set -u
cli=$1
work=$2/cli_out_of_memory
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Runs the CLI with an address-space cap in KiB; sets rc, and leaves stdout/stderr in $work/out, $work/err.
capped() {
  local cap=$1
  shift
  (ulimit -v "$cap" && exec "$cli" "$@") >"$work/out" 2>"$work/err"
  rc=$?
}

check_outcome() {  # what reference
  local what=$1 reference=$2
  if [ "$rc" -eq 0 ]; then
    cmp -s "$work/out" "$reference" || fail "$what: succeeded with a different answer"
    succeeded=$((succeeded + 1))
  elif [ "$rc" -eq 1 ] && [ "$(cat "$work/err")" = "journeygraph: error: out of memory" ]; then
    refused=$((refused + 1))
  else
    fail "$what: status $rc, stderr: $(head -c 400 "$work/err")"
  fi
}

# 1. A large input (1M journeys, about 50 MB) under a 100 MiB cap: reading alone needs more.
big=$work/big_paths.csv
"$cli" generate -o "$big" --kind paths --journeys 1000000 --touchpoints 5000 --mean-touches 6 --seed 3 ||
  fail "generate the large input"
capped $((100 * 1024)) attribute "$big" --paths --quiet --threads 8
if [ "$rc" -ne 1 ] || [ "$(cat "$work/err")" != "journeygraph: error: out of memory" ]; then
  fail "large input under 100 MiB: status $rc, stderr: $(head -c 400 "$work/err")"
fi
rm -f "$big"

# 2. A sweep of caps over a smaller input with many threads requested: thread creation and allocations fail
#    at different points; every run must end in one of the two allowed ways, and both must occur.
mid=$work/mid_paths.csv
"$cli" generate -o "$mid" --kind paths --journeys 200000 --touchpoints 20 --mean-touches 5 --seed 5 ||
  fail "generate the sweep input"
succeeded=0
refused=0
for order in 1 2; do
  "$cli" attribute "$mid" --paths --quiet --threads 1 --order "$order" --format csv >"$work/reference_$order" ||
    fail "uncapped order $order"
  for cap_mib in 24 32 48 64 96 128 192 256 320 384 512 640; do
    capped $((cap_mib * 1024)) attribute "$mid" --paths --quiet --threads 64 --order "$order" --format csv
    check_outcome "order $order under $cap_mib MiB" "$work/reference_$order"
  done
done
echo "sweep: $succeeded runs succeeded with the uncapped answer, $refused reported out of memory"
[ "$succeeded" -gt 0 ] || fail "no capped run succeeded: the sweep does not reach a workable cap"
[ "$refused" -gt 0 ] || fail "no capped run ran out of memory: the caps are too generous"
rm -rf "$work"
[ "$failures" -eq 0 ]
