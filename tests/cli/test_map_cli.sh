#!/bin/sh
# The journey-map commands of the CLI, end to end: every output file of `map`, the table formats, what-if,
# both comparisons, `report`, `demo`, and the errors for bad stage files (file:line:column and value).
# usage: test_map_cli.sh JOURNEYGRAPH STAGES_CSV WORK_DIR
jg=$1 stages=$2 work=$3
. "$(dirname "$0")/common.sh"
start_work "$work"

"$jg" generate --sample --journeys 2000 --seed 3 -o events.csv --quiet || exit 1

"$jg" map events.csv --events --stages "$stages" --quiet --svg graph.svg --funnel-svg funnel.svg \
  --sankey-svg sankey.svg --dot graph.dot --graphml graph.graphml --json graph.json --sankey sankey.json \
  > map.txt 2> map.err
rc=$?
check "map exits 0" '[ $rc -eq 0 ]'
for f in graph.svg funnel.svg sankey.svg; do
  check "$f is an SVG" 'head -c 4 $f | grep -q "<svg" && tail -c 7 $f | grep -q "</svg>"'
done
check "graph.dot" 'head -1 graph.dot | grep -q "^digraph journey_map"'
check "graph.graphml" 'grep -c "<node " graph.graphml | grep -q "^21$"'  # START + 18 touchpoints + 2 ends
check "graph.json" '/usr/bin/python3 -c "import json,sys; d=json.load(open(\"graph.json\")); sys.exit(0 if len(d[\"nodes\"])==21 and d[\"links\"] else 1)"'
check "sankey.json" '/usr/bin/python3 -c "import json,sys; d=json.load(open(\"sankey.json\")); sys.exit(0 if d[\"nodes\"][0][\"step\"]==1 else 1)"'
check "map prints the funnel" 'grep -q "^funnel" map.txt && grep -q "awareness" map.txt'
check "map prints pain points and paths" 'grep -q "^pain_points" map.txt && grep -q "^paths" map.txt'
check "map --quiet prints nothing but errors (not what it wrote)" '[ ! -s map.err ]'

"$jg" map events.csv --events --stages "$stages" --quiet --show pain --format csv --top 3 > pain.csv
check "pain points as CSV" 'head -1 pain.csv | grep -q "^rank,touchpoint,stage,journeys,visits,exits,unconverted_exit_share,conversion_probability,drop_offs,removal_effect,conversions_at_risk" && [ $(wc -l < pain.csv) -eq 4 ]'
"$jg" map events.csv --events --stages "$stages" --quiet --show funnel,flows,pain,paths,probable,lengths,time,nodes,edges \
  --format json > all.json
check "every table as JSON" '/usr/bin/python3 -c "import json,sys; d=json.load(open(\"all.json\")); sys.exit(0 if len(d)==9 and len(d[\"funnel\"][\"rows\"])==5 else 1)"'
"$jg" map events.csv --events --quiet --show none --set "website->(conversion)=0.9" --remove-touchpoint review_site > whatif.txt
check "what-if table" 'grep -q "^what_if" whatif.txt && grep -q "conversion_probability" whatif.txt'
"$jg" map events.csv --events --segment segment --quiet --show none --compare desktop,mobile > cmp.txt
check "segment comparison" 'grep -q "^transition_changes" cmp.txt && grep -q "label_a: desktop" cmp.txt'
"$jg" map events.csv --events --quiet --show none --split-at 2026-02-15 > split.txt
check "period comparison" 'grep -q "label_a: before 2026-02-15" split.txt'

# The funnel counts first journeys by default; --funnel-journeys picks repeat journeys or all. The counts of
# the three add up (repeat journeys begin after a conversion, split there by default), and the text tables
# end with one line per column defining it.
for which in first repeat all; do
  "$jg" map events.csv --events --stages "$stages" --quiet --show funnel --funnel-journeys $which --format json \
    > funnel_$which.json
  "$jg" map events.csv --events --stages "$stages" --quiet --show funnel,pain --funnel-journeys $which > funnel_$which.txt
  check "funnel --funnel-journeys $which says what it counted" 'grep -q "counted: $which" funnel_$which.txt'
done
check "first + repeat = all, stage by stage" '/usr/bin/python3 -c "
import json, sys
f = [json.load(open(\"funnel_%s.json\" % w)) for w in (\"first\", \"repeat\", \"all\")]
rows = [[r[\"journeys\"] for r in d[\"rows\"]] for d in f]
sys.exit(0 if f[1][\"meta\"][\"journeys\"] > 0 and all(abs(a + b - c) < 1e-9 for a, b, c in zip(*rows)) and
         f[0][\"meta\"][\"left_out\"] == f[1][\"meta\"][\"journeys\"] else 1)"'
check "the funnel notes are printed under the funnel" 'grep -q "^  (journeys) *counts " funnel_first.txt && grep -q "^  step_rate " funnel_first.txt'
check "the pain-point notes are printed under the pain points" 'grep -q "^  conversions_at_risk *its Markov credit" funnel_first.txt'
check "the default is first" '"$jg" map events.csv --events --stages "$stages" --quiet --show funnel | grep -q "counted: first"'
"$jg" map events.csv --events --stages "$stages" --quiet --show funnel --funnel-journeys later > /dev/null 2> fj.err
rc=$?
check "an unknown --funnel-journeys names the choices" '[ $rc -ne 0 ] && grep -q "first" fj.err && grep -q "repeat" fj.err'

# A transition out of a state one segment never reaches cannot be tested: every derived figure is missing
# (null in JSON, "-" in text), it is not significant, and it comes after the tested rows.
printf 'journey_id,timestamp,touchpoint,conversion,segment\n1,2026-01-01T00:00:00Z,x,0,a\n1,2026-01-01T01:00:00Z,y,1,a\n2,2026-01-01T00:00:00Z,x,0,a\n3,2026-01-01T00:00:00Z,x,1,b\n4,2026-01-01T00:00:00Z,x,0,b\n' > seg.csv
"$jg" map seg.csv --events --segment segment --quiet --show none --compare a,b --format json > untestable.json
check "untestable comparison rows are null in JSON and not significant" '/usr/bin/python3 -c "
import json, sys
rows = json.load(open(\"untestable.json\"))[\"transition_changes\"][\"rows\"]
y = [r for r in rows if r[\"from\"] == \"y\"]
ok = len(y) == 1 and y[0][\"total_b\"] == 0 and y[0][\"significant\"] is False and rows[-1] is y[0]
ok = ok and all(y[0][k] is None for k in (\"p_b\", \"difference\", \"z\", \"p_value\", \"p_adjusted\"))
ok = ok and all(r[k] is not None for r in rows if r is not y[0] for k in (\"difference\", \"p_adjusted\"))
sys.exit(0 if ok else 1)"'
"$jg" map seg.csv --events --segment segment --quiet --show none --compare a,b --width 0 > untestable.txt
check "untestable comparison rows show - in text" 'grep -Eq "^y +\(conversion\) +1 +1 +1\.0+ +0 +0 +- +- +- +- +- +false" untestable.txt'

# Errors: an unknown stage, a touchpoint without a stage, bad usage.
printf 'touchpoint,stage\nwebsite,purchase\nsocial_ad,awarenes\n' > bad_stages.csv
"$jg" map events.csv --events --stages bad_stages.csv --stage-order awareness,purchase --quiet > /dev/null 2> bad.err
rc=$?
check "unknown stage exits 1" '[ $rc -eq 1 ]'
check "unknown stage names file, line, column, field and value" \
  'grep -q "bad_stages.csv:3:11: field .stage.: unknown stage \"awarenes\"" bad.err'
printf 'touchpoint,stage\nwebsite,purchase\n' > part.csv
"$jg" map events.csv --events --stages part.csv --quiet > /dev/null 2> part.err
rc=$?
check "missing stage exits 1 and names the touchpoint" '[ $rc -eq 1 ] && grep -q "has no stage in part.csv" part.err'
"$jg" map events.csv --events --stages part.csv --other-stage other --quiet --show funnel > other.txt
check "--other-stage" 'grep -q "other" other.txt'
"$jg" map events.csv --events --quiet --show funnel > /dev/null 2> usage.err
rc=$?
check "funnel without stages is a usage error" '[ $rc -eq 2 ] && grep -q "needs --stages" usage.err'
printf 'journey_id,timestamp,touchpoint\n1,x,a\n' > bad_events.csv
"$jg" map bad_events.csv --events --quiet > /dev/null 2> parse.err
rc=$?
check "malformed events name file and line" '[ $rc -eq 1 ] && grep -q "bad_events.csv:2:" parse.err'

"$jg" report events.csv --events --stages "$stages" --quiet -o report.html 2> report.err
check "report writes one HTML page" 'head -1 report.html | grep -q "<!DOCTYPE html>" && grep -q "id=\"pain\"" report.html'
"$jg" report events.csv --events --quiet > /dev/null 2>&1
rc=$?
check "report without -o is a usage error" '[ $rc -eq 2 ]'

"$jg" demo --customers 3000 --report demo.html > demo.txt
check "demo prints the funnel and the top pain points" 'grep -q "^funnel" demo.txt && grep -q "^pain_points" demo.txt'
check "demo writes the report" 'grep -q "id=\"funnel\"" demo.html'

finish "journeygraph map, report and demo"
