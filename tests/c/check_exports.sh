#!/bin/sh
# Checks the exported interface of libjourneygraph_c:
#  1. every exported dynamic symbol starts with jg_;
#  2. the exports are exactly the functions journeygraph.h declares with JG_API;
#  3. every declaration has a comment right above it that states its ownership and thread-safety rules;
#  4. every exported function is called by the C tests in TESTS_DIR;
#  5. the SONAME carries the major version.
# usage: check_exports.sh NM OBJDUMP LIBRARY HEADER TESTS_DIR MAJOR
set -eu
nm=$1 objdump=$2 lib=$3 header=$4 tests=$5 major=$6
tmp=${TMPDIR:-/tmp}/jg_check_exports.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail=0

"$nm" -D --defined-only "$lib" | awk 'NF >= 2 { print $NF }' | sort -u > "$tmp/exports"
if [ ! -s "$tmp/exports" ]; then
  echo "FAIL: $lib exports no symbols"
  exit 1
fi
if grep -v '^jg_' "$tmp/exports" > "$tmp/foreign"; then
  echo "FAIL: exported symbols that do not start with jg_:"
  cat "$tmp/foreign"
  fail=1
fi

grep '^JG_API' "$header" | sed 's/(.*//; s/.*[ *]\(jg_[a-z0-9_]*\)$/\1/' | sort -u > "$tmp/declared"
if ! diff "$tmp/declared" "$tmp/exports" > "$tmp/diff"; then
  echo "FAIL: declared (<) and exported (>) functions differ:"
  cat "$tmp/diff"
  fail=1
fi

if ! awk '
  /^\/\*/ { incomment = 1; block = "" }
  incomment { block = block $0 "\n" }
  /\*\// { if (incomment) { incomment = 0; last = block; lastline = NR } }
  /^JG_API/ {
    if (lastline != NR - 1 || last !~ /Ownership/ || last !~ /Threads/) {
      print "FAIL: no comment with Ownership and Threads rules right above: " $0
      bad = 1
    }
  }
  END { exit bad }' "$header"; then
  fail=1
fi

while read -r sym; do
  if ! cat "$tests"/*.c | grep -q "\\b$sym\\b"; then
    echo "FAIL: $sym is not called by any C test in $tests"
    fail=1
  fi
done < "$tmp/exports"

soname=$("$objdump" -p "$lib" | awk '$1 == "SONAME" { print $2 }')
if [ "$soname" != "libjourneygraph_c.so.$major" ]; then
  echo "FAIL: SONAME is '$soname', expected libjourneygraph_c.so.$major"
  fail=1
fi

if [ "$fail" -ne 0 ]; then exit 1; fi
echo "ok: $(wc -l < "$tmp/exports") exported functions, all jg_*, all declared, documented and tested; SONAME $soname"
