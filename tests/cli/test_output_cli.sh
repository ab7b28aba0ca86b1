#!/bin/sh
# journeygraph's output as a user meets it: every failed write (a full disk, a full standard output) exits
# non-zero naming the file and the reason; CSV cells are guarded against spreadsheet formulas unless
# --raw-csv; terminal tables escape control bytes; SIGINT stops a long run with status 130 and no output file.
# usage: test_output_cli.sh JOURNEYGRAPH WORK_DIR
set -u
JG=$1
WORK=$2
rm -rf "$WORK"
mkdir -p "$WORK"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
contains() {  # FILE TEXT
  grep -F -- "$2" "$1" > /dev/null || fail "expected '$2' in $1: $(cat "$1")"
}

P=$WORK/paths.csv
{
  echo "path,total_conversions,total_null"
  printf "%s\n" "=cmd|' /C calc'!A0 > b,3,2" "b,1,4" "-3 > b,1,1" "@SUM(A1) > c,2,2" "c > b,4,1"
  printf '\033[31mred > b,1,1\n'
  i=0
  while [ $i -lt 40 ]; do
    echo "a > b > c,$((i % 3)),$((i % 2 + 1))"
    echo "c > a,$((i % 2)),1"
    i=$((i + 1))
  done
} > "$P"

# W05: a failed write to a named file or to standard output exits 1 and names the target and the reason.
for args in "attribute $P --paths -o /dev/full" "attribute $P --paths --format json -o /dev/full" \
            "attribute $P --paths --format csv -o /dev/full" "map $P --paths -o /dev/full" \
            "order $P --paths -o /dev/full" "transitions $P --paths -o /dev/full" "fit $P --paths -o /dev/full"; do
  # shellcheck disable=SC2086
  "$JG" $args --quiet > "$WORK/out" 2> "$WORK/err"
  rc=$?
  [ $rc -eq 1 ] || fail "$args exited with $rc, expected 1: $(cat "$WORK/err")"
  contains "$WORK/err" "error writing /dev/full: No space left on device"
done
for cmd in attribute transitions map; do
  "$JG" $cmd "$P" --paths --quiet > /dev/full 2> "$WORK/err"
  rc=$?
  [ $rc -eq 1 ] || fail "$cmd > /dev/full exited with $rc, expected 1"
  contains "$WORK/err" "error writing to standard output: No space left on device"
done
for fmt in csv json; do  # one table in CSV or JSON is streamed: the same message
  "$JG" attribute "$P" --paths --quiet --format $fmt > /dev/full 2> "$WORK/err"
  rc=$?
  [ $rc -eq 1 ] || fail "attribute --format $fmt > /dev/full exited with $rc, expected 1"
  contains "$WORK/err" "error writing to standard output: No space left on device"
done
"$JG" --help > /dev/full 2> "$WORK/err" && fail "--help > /dev/full exited 0"
contains "$WORK/err" "error writing to standard output"

# W06: an output into a missing directory names it; a good write leaves only the target behind.
"$JG" attribute "$P" --paths --quiet -o "$WORK/no/such.csv" 2> "$WORK/err" && fail "missing directory exited 0"
contains "$WORK/err" "cannot write $WORK/no/such.csv: No such file or directory"
mkdir "$WORK/clean"
"$JG" attribute "$P" --paths --quiet --format csv -o "$WORK/clean/out.csv" || fail "attribute -o failed"
[ "$(ls "$WORK/clean")" = "out.csv" ] || fail "files left beside the output: $(ls "$WORK/clean")"

# O01: CSV cells guarded by default, as written with --raw-csv; numbers and number-like names unchanged.
"$JG" attribute "$P" --paths --quiet --format csv > "$WORK/guarded.csv" || fail "attribute --format csv failed"
contains "$WORK/guarded.csv" "
'=cmd|' /C calc'!A0,"
contains "$WORK/guarded.csv" "
'@SUM(A1),"
grep -q '^-3,' "$WORK/guarded.csv" || fail "the name -3 was changed: $(cat "$WORK/guarded.csv")"
"$JG" attribute "$P" --paths --quiet --format csv --raw-csv > "$WORK/raw.csv" || fail "--raw-csv failed"
grep -q "^=cmd|' /C calc'!A0," "$WORK/raw.csv" || fail "--raw-csv changed a cell: $(cat "$WORK/raw.csv")"
"$JG" attribute --help | grep -q -- "--raw-csv" || fail "--raw-csv is not in the help"

# O02: the terminal table shows an ESC in a name escaped, never raw.
"$JG" attribute "$P" --paths --quiet > "$WORK/table.txt" || fail "attribute failed"
contains "$WORK/table.txt" '\x1B[31mred'
if LC_ALL=C grep -q "$(printf '\033')" "$WORK/table.txt"; then fail "a raw ESC reached the table"; fi

# M01: a directory as a model file names it.
"$JG" attribute --model "$WORK" 2> "$WORK/err" && fail "a directory as a model exited 0"
contains "$WORK/err" "cannot read $WORK: Is a directory"

# I01: SIGINT during a long run: a message, status 130, no output file and no temporary file.
awk 'BEGIN { print "path,total_conversions,total_null"; for (i = 0; i < 1000000; i++) print "t" i " > hub," (i % 4 == 0) "," (i % 4 != 0) }' > "$WORK/many.csv"
mkdir "$WORK/int"
"$JG" attribute "$WORK/many.csv" --paths --order 2 --models markov --quiet -o "$WORK/int/out.csv" 2> "$WORK/err" &
pid=$!
sleep 2
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "SIGINT: exited with $rc, expected 130: $(cat "$WORK/err")"
contains "$WORK/err" "journeygraph: interrupted (SIGINT)"
[ -z "$(ls "$WORK/int")" ] || fail "SIGINT left files: $(ls "$WORK/int")"
echo "ok"
