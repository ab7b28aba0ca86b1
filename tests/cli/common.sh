# Sourced by the program's shell tests (sh): set -u; `start_work DIR` empties DIR and enters it; `check WHAT
# CONDITION...` evaluates the condition and records a failure naming WHAT; `finish WHAT` exits 1 after any
# failure, else prints "ok: WHAT".
set -u
fail=0
start_work() {
  rm -rf "$1"
  mkdir -p "$1"
  cd "$1" || exit 1
}
check() {  # description, then a shell condition
  what=$1
  shift
  if eval "$@"; then :; else echo "FAIL: $what"; fail=1; fi
}
finish() {
  if [ "$fail" -ne 0 ]; then exit 1; fi
  echo "ok: $1"
}
