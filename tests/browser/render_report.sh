#!/bin/sh
# Renders the HTML report in headless Chromium and checks it:
#  1. the CLI writes the report of the sample (events CSV + stages CSV);
#  2. a probe copy of the page (error listeners first in <head>, a check at the end of <body>) is
#     rendered with --dump-dom: there must be no script error or console.error, and every SVG must
#     have a non-empty box on the page and non-empty drawn content;
#  3. the unmodified page is rendered with console logging on: Chromium must log no console message
#     from the page; its screenshot is kept as a test artifact.
# usage: render_report.sh CHROMIUM JOURNEYGRAPH STAGES_CSV WORK_DIR ARTIFACT_DIR
set -eu
chromium=$1 jg=$2 stages=$3 work=$4 artifacts=$5
if [ ! -x "$chromium" ]; then
  echo "FAIL: no Chromium at '$chromium' (scripts/install-deps.sh installs the Debian package chromium)"
  exit 1
fi
rm -rf "$work"
mkdir -p "$work" "$artifacts"
profile=$(mktemp -d "${TMPDIR:-/tmp}/jg-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT

"$jg" generate --sample --journeys 3000 --seed 5 -o "$work/events.csv"
"$jg" report "$work/events.csv" --events --stages "$stages" --quiet --title "Report test" -o "$work/report.html"

run_chromium() {  # extra arguments...; a fresh profile every time, nothing fetched in the background
  rm -rf "$profile"/*
  timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --user-data-dir="$profile" "$@"
}

# 2. The probe page.
awk '
  /<head>/ && !head { print; print "<script>window.__jgErrors = []; window.addEventListener(\"error\", function (e) { window.__jgErrors.push(\"error: \" + e.message); }); (function () { var original = console.error; console.error = function () { window.__jgErrors.push(\"console.error: \" + Array.prototype.join.call(arguments, \" \")); original.apply(console, arguments); }; })();</script>"; head = 1; next }
  /<\/body>/ && !body {
    print "<script>(function () {"
    print "  var out = [], svgs = document.querySelectorAll(\"svg\"), empty = 0;"
    print "  for (var i = 0; i < svgs.length; i++) {"
    print "    var r = svgs[i].getBoundingClientRect(), b = svgs[i].getBBox();"
    print "    if (!(r.width > 0 && r.height > 0 && b.width > 0 && b.height > 0)) { empty++; out.push(\"empty svg \" + i + \": box \" + r.width + \"x\" + r.height + \", content \" + b.width + \"x\" + b.height); }"
    print "  }"
    print "  out.push(\"svgs=\" + svgs.length, \"empty=\" + empty, \"errors=\" + window.__jgErrors.length);"
    print "  out = out.concat(window.__jgErrors);"
    print "  var pre = document.createElement(\"pre\"); pre.id = \"jg-check\"; pre.textContent = out.join(\"\\n\"); document.body.appendChild(pre);"
    print "})();</script>"
    print; body = 1; next }
  { print }' "$work/report.html" > "$work/probe.html"
run_chromium --window-size=1400,1000 --dump-dom "file://$work/probe.html" > "$work/probe_dom.html" 2> "$work/probe.log"
check=$(awk 'BEGIN { RS = "<pre id=\"jg-check\">" } NR == 2 { sub(/<\/pre>.*/, ""); printf "%s", $0 }' "$work/probe_dom.html")
echo "$check"
fail=0
svgs=$(echo "$check" | sed -n 's/^svgs=//p')
if [ -z "$svgs" ]; then
  echo "FAIL: the check script did not run (no #jg-check in the rendered DOM)"; fail=1
elif [ "$svgs" -lt 6 ]; then
  echo "FAIL: expected at least 6 SVGs (graph, funnel, Sankey, 3 charts), found $svgs"; fail=1
fi
echo "$check" | grep -q '^empty=0$' || { echo "FAIL: an SVG has an empty size"; fail=1; }
echo "$check" | grep -q '^errors=0$' || { echo "FAIL: the page raised errors"; fail=1; }

# 3. The unmodified page: console messages and a screenshot.
run_chromium --window-size=1400,6000 --enable-logging=stderr --v=0 --screenshot="$artifacts/report.png" \
  "file://$work/report.html" > "$work/page.out" 2> "$work/page.log"
if grep -E 'CONSOLE[:(]|Uncaught' "$work/page.log"; then
  echo "FAIL: the page logged console messages (above)"; fail=1
fi
if [ ! -s "$artifacts/report.png" ] || [ "$(wc -c < "$artifacts/report.png")" -lt 20000 ]; then
  echo "FAIL: no screenshot (or an empty one) at $artifacts/report.png"; fail=1
fi
cp "$work/report.html" "$artifacts/report.html"
if [ "$fail" -ne 0 ]; then exit 1; fi
echo "ok: $svgs SVGs with non-empty sizes, no errors, no console messages; screenshot $artifacts/report.png"
