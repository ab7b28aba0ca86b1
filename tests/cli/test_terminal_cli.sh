#!/bin/sh
# What the program prints on a terminal: the progress line of a long command (here `generate`) is one line
# redrawn in place, never wider than the terminal, at 48 and at 160 columns (run in a pseudo-terminal made by
# `script`); no progress line off a terminal; --quiet prints nothing but errors; -o FILE writes CSV or JSON by
# its extension unless --format says otherwise; counts print as whole numbers in text tables.
# usage: test_terminal_cli.sh JOURNEYGRAPH WORK_DIR
jg=$1 work=$2
. "$(dirname "$0")/common.sh"
start_work "$work"
ESC=$(printf '\033')
CR=$(printf '\r')

# A job long enough for several redraws (the line appears after one second, then at most ten times a second).
JOURNEYS=${JG_PROGRESS_JOURNEYS:-1500000}
for cols in 48 160; do
  if ! command -v script > /dev/null; then echo "SKIP: no script(1) for a pseudo-terminal"; break; fi
  script -q -e -c "stty cols $cols rows 20; exec '$jg' generate --journeys $JOURNEYS --kind paths -o g$cols.csv" \
    "ts$cols" > /dev/null 2>&1
  rc=$?
  check "generate in a $cols-column terminal exits 0" '[ $rc -eq 0 ]'
  # The session's output: between script's own first line and its "Script done" line.
  sed '1d' "ts$cols" | sed '/^Script done/,$d' > out$cols
  # Everything up to the final message is on one line: no newline before "journeygraph: wrote".
  before=$(awk '/journeygraph: wrote/ { exit } { n++ } END { print n + 0 }' out$cols)
  check "$cols columns: no newline before the end (the line is redrawn, not repeated)" '[ "$before" -eq 0 ]'
  check "$cols columns: the run ends with the message, on its own line" \
    'grep -q "journeygraph: wrote aggregated paths to g$cols.csv" out$cols'
  # Each redraw: carriage return, the line, erase to the end of the line.
  tr "$CR" '\n' < out$cols | sed "s/${ESC}\[K//g" | grep '%' > lines$cols
  redraws=$(wc -l < lines$cols)
  longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' lines$cols)
  check "$cols columns: the line was drawn several times ($redraws)" '[ "$redraws" -ge 3 ]'
  check "$cols columns: no line wider than the terminal (longest $longest)" '[ "$longest" -lt "$cols" ]'
  returns=$(grep -o "${CR}journeygraph: [a-z]* *[0-9]*%" out$cols | wc -l)
  check "$cols columns: every redraw starts with a carriage return ($returns of $redraws)" '[ "$returns" -eq "$redraws" ]'
  check "$cols columns: the line shows the rate and the time left" 'grep -q "%/s  ETA [0-9]*:[0-9][0-9]" lines$cols'
done
check "160 columns: the bar is drawn" 'grep -q "\[#*\.*\]" lines160'

# Off a terminal: no progress line; the message alone. --quiet: nothing at all.
"$jg" generate --journeys 2000 -o p.csv > out.txt 2> err.txt
check "off a terminal, generate prints the message alone" \
  '[ "$(cat err.txt)" = "journeygraph: wrote aggregated paths to p.csv" ] && [ ! -s out.txt ]'
"$jg" generate --journeys 2000 -o p.csv --quiet > out.txt 2> err.txt
check "generate --quiet prints nothing" '[ ! -s err.txt ] && [ ! -s out.txt ]'
"$jg" map p.csv --paths --quiet --svg g.svg -o t.txt > out.txt 2> err.txt
check "map --quiet writes its files and prints nothing" '[ ! -s err.txt ] && [ ! -s out.txt ] && [ -s g.svg ] && [ -s t.txt ]'
"$jg" map p.csv --paths --svg g.svg -o t.txt > out.txt 2> err.txt
check "map without --quiet says what it wrote" 'grep -q "^journeygraph: wrote .* to g.svg$" err.txt'

# -o FILE: the format by the extension, --format first.
"$jg" attribute p.csv --paths --quiet -o a.csv && "$jg" attribute p.csv --paths --quiet -o a.JSON &&
  "$jg" attribute p.csv --paths --quiet -o a.txt && "$jg" attribute p.csv --paths --quiet -o b.json --format csv
check "-o a.csv writes CSV" 'head -n 1 a.csv | grep -q "^touchpoint,"'
check "-o a.JSON writes JSON" 'head -c 1 a.JSON | grep -q "{" && grep -q "\"table\": \"attribution\"" a.JSON'
check "-o a.txt writes the text table" 'head -n 1 a.txt | grep -q "^attribution$"'
check "--format csv wins over the .json extension" 'head -n 1 b.json | grep -q "^touchpoint,"'

# Counts are whole numbers in text tables: the journeys' conversions, never 1895.0000.
"$jg" transitions p.csv --paths --quiet > t.txt
check "transition counts print without decimals" '! grep -q "\.0000\b" t.txt'

finish "the progress line, --quiet, the output format by extension, whole counts"
