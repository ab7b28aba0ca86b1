#!/bin/sh
# How the CLI reads what a user hands it, end to end: time text it cannot read without a format (refused
# with the hint, then read right with it), epoch numbers in a finer unit than seconds, a path file with
# another separator, --split-at on epoch and ISO files, and the choice between --paths and --events from
# the header. Each case checks the exit status, the message and what was read (journeys, transitions).
# usage: test_input_cli.sh JOURNEYGRAPH WORK_DIR
jg=$1 work=$2
. "$(dirname "$0")/common.sh"
start_work "$work"

# Day-first text: 01/04/2026 is the 1st of April. Journey 1's touches are a day apart read day first and
# a month apart read month first, so with --gap 2d the reading decides whether journey 1 stays one journey.
printf 'journey_id,timestamp,touchpoint,conversion\n1,01/04/2026 10:00,search,0\n1,02/04/2026 10:00,email,1\n2,03/04/2026 09:00,display,0\n2,03/04/2026 12:30,search,0\n' > dayfirst.csv
"$jg" transitions dayfirst.csv --events --gap 2d > out.txt 2> err.txt
rc=$?
check "day-first text without --time-format exits 1" '[ $rc -eq 1 ]'
check "day-first refusal names file, line, column, value and both patterns" \
  'grep -q "dayfirst.csv:2:3: field .timestamp.: invalid timestamp \"01/04/2026 10:00\"" err.txt &&
   grep -q -- "--time-format" err.txt && grep -q "\"%d/%m/%Y %H:%M\" if the day comes first" err.txt'
"$jg" transitions dayfirst.csv --events --gap 2d --time-format "%d/%m/%Y %H:%M" --format csv > out.csv 2> err.txt
rc=$?
check "day-first with --time-format exits 0" '[ $rc -eq 0 ]'
check "day-first read day first: 2 journeys, search then email" \
  'grep -q "4 rows -> 2 journeys" err.txt && grep -q "^search,email,1," out.csv'
"$jg" transitions dayfirst.csv --events --gap 2d --time-format "%m/%d/%Y %H:%M" --format csv > out.csv 2> err.txt
check "the same file read month first splits journey 1 at the gap (the test can tell)" \
  'grep -q "4 rows -> 3 journeys" err.txt && ! grep -q "^search,email" out.csv'

# Epoch microseconds (2026-01-01T10:00Z and an hour later): refused in the default unit with every
# reading shown, read right with --time-unit us (an hour apart: one journey under --gap 2h).
printf 'journey_id,timestamp,touchpoint,conversion\n1,1767261600000000,search,0\n1,1767265200000000,email,1\n2,1767272400000000,display,0\n' > micros.csv
"$jg" transitions micros.csv --events --quiet > out.txt 2> err.txt
rc=$?
check "epoch microseconds in the default unit exit 1" '[ $rc -eq 1 ]'
check "the refusal names file, line, value, the reading in us and the option" \
  'grep -q "micros.csv:2:3: field .timestamp.: epoch number \"1767261600000000\" read in seconds" err.txt &&
   grep -q "in us 2026-01-01T10:00:00Z" err.txt && grep -q -- "--time-unit us" err.txt'
"$jg" transitions micros.csv --events --time-unit us --gap 2h --format csv > out.csv 2> err.txt
rc=$?
check "--time-unit us exits 0 and keeps journey 1 whole" \
  '[ $rc -eq 0 ] && grep -q "3 rows -> 2 journeys" err.txt && grep -q "^search,email,1,1$" out.csv'
"$jg" transitions micros.csv --events --time-unit ms --gap 2h --format csv > out.csv 2> err.txt
check "read as milliseconds the touches are 1000 h apart (the test can tell)" 'grep -q "1 journeys split at an inactivity gap" err.txt'

# A path file separated by "|", read with the default ">": refused naming the file, "|" and --sep.
printf 'path,total_conversions,total_null\na|b|c,1,2\nb|c,0,3\nc,1,0\n' > pipes.csv
"$jg" transitions pipes.csv --paths --quiet > out.txt 2> err.txt
rc=$?
check "a wrong separator exits 1" '[ $rc -eq 1 ]'
check "the refusal names file, line, the separator found and --sep" \
  'grep -q "pipes.csv:2:1: field .path.: no path holds the separator \">\"" err.txt &&
   grep -q "2 of 3 paths hold \"|\"" err.txt && grep -q -- "--sep" err.txt'
"$jg" transitions pipes.csv --paths --sep "|" --format csv --quiet > out.csv
rc=$?
check "--sep \"|\" reads the touchpoints" '[ $rc -eq 0 ] && grep -q "^a,b,3,1$" out.csv && grep -q "^b,c,6,1$" out.csv'
"$jg" transitions pipes.csv --paths --no-separator-check --format csv --quiet > out.csv
rc=$?
check "--no-separator-check reads each path as one touchpoint" '[ $rc -eq 0 ] && grep -q "^(start),a|b|c,3," out.csv'
"$jg" transitions pipes.csv --events --no-separator-check --quiet > /dev/null 2> err.txt
rc=$?
check "--no-separator-check with --events is a usage error" '[ $rc -eq 2 ] && grep -q "applies to --paths input" err.txt'

# --split-at on an epoch-seconds file: a bare number is seconds; an empty side names the split and the side.
printf 'journey_id,timestamp,touchpoint,conversion\n1,1700000000,search,0\n1,1700000100,email,1\n2,1700000200,display,0\n3,1700100000,search,1\n4,1700100100,display,0\n4,1700100200,email,0\n' > epoch.csv
"$jg" map epoch.csv --events --show none --split-at 1700050000 --format json --quiet > split.json
rc=$?
check "--split-at 1700050000 splits the epoch-seconds file 2 + 2" \
  '[ $rc -eq 0 ] && /usr/bin/python3 -c "import json,sys; d=json.load(open(\"split.json\"))[\"transition_changes\"]; r={(x[\"from\"],x[\"to\"]):x for x in d[\"rows\"]}; x=r[(\"(start)\",\"search\")]; sys.exit(0 if (x[\"total_a\"],x[\"total_b\"],x[\"count_a\"],x[\"count_b\"])==(2,2,1,1) else 1)"'
"$jg" map epoch.csv --events --show none --split-at 60 --quiet > /dev/null 2> err.txt
rc=$?
check "--split-at 60 is 60 s after 1970: the first part is empty, named" \
  '[ $rc -eq 1 ] && grep -q "split-at \"60\": split at 1970-01-01T00:01:00Z: no journey of positive weight starts before it, so the first part is empty" err.txt'
"$jg" map epoch.csv --events --show none --split-at 2027-01-01 --quiet > /dev/null 2> err.txt
rc=$?
check "a split after the data names the second part" '[ $rc -eq 1 ] && grep -q "so the second part is empty" err.txt'

# The same journeys as ISO text: a bare number is refused with a hint; a date splits them alike.
sed 's/1700000000/2023-11-14T22:13:20Z/; s/1700000100/2023-11-14T22:15:00Z/; s/1700000200/2023-11-14T22:16:40Z/; s/1700100000/2023-11-16T02:00:00Z/; s/1700100100/2023-11-16T02:01:40+00:00/; s/1700100200/2023-11-16 02:03:20/' epoch.csv > iso.csv
"$jg" map iso.csv --events --show none --split-at 1700050000 --quiet > /dev/null 2> err.txt
rc=$?
check "a bare number with an ISO file is a usage error with a hint" \
  '[ $rc -eq 2 ] && grep -q "split-at: the instant \"1700050000\" is a bare number, but the journeys. times were given as dates" err.txt &&
   grep -q "give a date and time such as 2023-11-14T22:13:20Z" err.txt'
"$jg" map iso.csv --events --show none --split-at 2023-11-15 --format json --quiet > split_iso.json
rc=$?
check "--split-at 2023-11-15 on the ISO file gives the same comparison as on the epoch file" \
  '[ $rc -eq 0 ] && /usr/bin/python3 -c "import json,sys; a=json.load(open(\"split.json\"))[\"transition_changes\"][\"rows\"]; b=json.load(open(\"split_iso.json\"))[\"transition_changes\"][\"rows\"]; sys.exit(0 if a==b else 1)"'

# Without --paths or --events the header decides, and one line says so (none with --quiet).
"$jg" transitions epoch.csv --format csv > auto.csv 2> err.txt
rc=$?
"$jg" transitions epoch.csv --events --format csv --quiet > given.csv
check "an event log is detected, said once, and read as with --events" \
  '[ $rc -eq 0 ] && [ $(grep -c "reading epoch.csv as an event log (--events): the header has the columns .journey_id. and .touchpoint." err.txt) -eq 1 ] && cmp -s auto.csv given.csv'
"$jg" transitions pipes.csv --sep "|" --format csv > auto.csv 2> err.txt
rc=$?
"$jg" transitions pipes.csv --paths --sep "|" --format csv --quiet > given.csv
check "aggregated paths are detected, said, and read as with --paths" \
  '[ $rc -eq 0 ] && grep -q "reading pipes.csv as aggregated paths (--paths): the header has the columns .path. and .total_conversions." err.txt && cmp -s auto.csv given.csv'
"$jg" transitions pipes.csv --sep "|" --quiet > /dev/null 2> err.txt
check "--quiet keeps the choice off stderr" '[ ! -s err.txt ]'
printf 'user,channel,when\n1,search,1700000000\n' > other.csv
"$jg" transitions other.csv > /dev/null 2> err.txt
rc=$?
check "a header of neither kind is a usage error with the reason" \
  '[ $rc -eq 2 ] && grep -q "cannot tell what other.csv holds: the header has neither the columns .journey_id. and .touchpoint." err.txt'
"$jg" transitions other.csv --journey user --touchpoint channel --time when --format csv > auto.csv 2> err.txt
rc=$?
check "named columns take part in the choice" '[ $rc -eq 0 ] && grep -q "as an event log" err.txt && grep -q "^(start),search,1,1$" auto.csv'
printf 'journey_id,touchpoint,path,total_conversions\n1,a,a,1\n' > both.csv
"$jg" transitions both.csv > /dev/null 2> err.txt
rc=$?
check "a header of both kinds is a usage error naming both" '[ $rc -eq 2 ] && grep -q "columns of both an event log" err.txt'
"$jg" transitions epoch.csv --paths --events > /dev/null 2> err.txt
rc=$?
check "--paths and --events together is a usage error" '[ $rc -eq 2 ] && grep -q "not both" err.txt'

# The help says how naive local times are read.
"$jg" map --help > help.txt
check "help: naive local times are UTC" 'grep -q "naive local times, without an offset, are UTC" help.txt'

finish "time formats, epoch units, separators, --split-at and input detection"
