#!/bin/sh
# Errors the core finds in an analysis option name the program's option that carries the value: the core
# error carries the options field (Error::option) and the program maps it to its flag in one table. Each case
# checks the exit status and the whole first line of the message.
# usage: test_option_errors_cli.sh JOURNEYGRAPH WORK_DIR
jg=$1 work=$2
. "$(dirname "$0")/common.sh"
start_work "$work"

printf 'journey_id,timestamp,touchpoint,conversion\n1,1767225600,ad,0\n1,1767229200,search,0\n1,1767232800,buy,1\n2,1767225600,ad,0\n2,1767236400,email,0\n3,1767240000,search,0\n3,1767243600,buy,1\n' > ev.csv

# expect STATUS "FIRST LINE OF STDERR" ARGS...
expect() {
  want_rc=$1 want=$2
  shift 2
  "$jg" "$@" > out.txt 2> err.txt
  rc=$?
  got=$(head -n 1 err.txt)
  if [ "$rc" -ne "$want_rc" ] || [ "$got" != "$want" ]; then
    echo "FAIL: journeygraph $*"
    echo "  exit $rc (want $want_rc): $got"
    echo "  want: $want"
    fail=1
  fi
}

E="journeygraph: error:"
expect 1 "$E --steps: funnel step 2: touchpoint \"xyz\" matches no touchpoint of the journeys (closest: \"ad\", \"buy\", \"email\")" \
  funnel ev.csv --events --quiet --steps 'ad,xyz'
expect 1 "$E --steps: funnel step 1 is optional, but the first and the last step must be required" \
  funnel ev.csv --events --quiet --steps 'ad?,buy'
expect 1 "$E --exclude: funnel exclusion 1: touchpoint \"nope\" matches no touchpoint of the journeys (closest: \"ad\", \"buy\", \"email\")" \
  funnel ev.csv --events --quiet --steps 'ad,buy' --exclude 'nope'
expect 1 "$E --level: funnel: level must be in (0, 1), got 2" \
  funnel ev.csv --events --quiet --steps 'ad,buy' --level 2
expect 1 "$E --by-segment: funnel by segment: the journeys have no segments (read them with a segment column)" \
  funnel ev.csv --events --quiet --steps 'ad,buy' --by-segment
expect 1 "$E --kgrams: drivers: kgram lengths must be 2 or 3, got 4" \
  drivers ev.csv --events --quiet --kgrams 4
expect 1 "$E --at-least: drivers: at_least counts must be in 2..1048575, got 1" \
  drivers ev.csv --events --quiet --at-least 1
expect 1 "$E --after: drivers: after: touchpoint \"xyz\" matches no touchpoint of the journeys (closest: \"ad\", \"buy\", \"email\")" \
  drivers ev.csv --events --quiet --target drop_off --after xyz
expect 1 "$E --features: driver feature \"ad > xyz\": unknown touchpoint \"xyz\" (closest: \"ad\", \"buy\", \"email\")" \
  drivers ev.csv --events --quiet --features 'ad > xyz'
expect 1 "$E --start: paths start: touchpoint \"xyz\" matches no touchpoint of the journeys (closest: \"ad\", \"buy\", \"email\")" \
  paths ev.csv --events --quiet --start xyz
expect 1 "$E --end: paths end \"ad@7d\": an anchor takes no window and is not optional" \
  paths ev.csv --events --quiet --end 'ad@7d'
expect 1 "$E --from-step: paths: from_step 5 is not a step of the funnel (1..2)" \
  paths ev.csv --events --quiet --steps 'ad,buy' --from-step 5
# An error no single option causes keeps its message as it was.
expect 1 "$E cannot open missing.csv: No such file or directory" funnel missing.csv --events --steps 'ad,buy'
# A request that cannot be written is refused before any work: here before the (missing) input is read.
expect 2 "journeygraph: --format csv writes one table; --next adds the table next_touch to the scores (use --format json or table, or leave --next out)" \
  score missing.csv --events --quiet --open --next 2 --format csv

finish "core errors in analysis options name the program's option"
