#!/bin/sh
# `rightdoor doc`: the golden Markdown document of a small but complete SOP (tests/doc/small.md,
# read it: it is what a committee reads), and checks on the HTML document of every example:
# every opened tag closed, the ten component headings of seed 000 Sample 1, one consent form per
# consent and language, a sharing-matrix cell for every (data category, organisation), nothing
# fetched from outside; and the file output: never a half-written file, clean failures.
# UPDATE=1 rewrites the golden file; review the diff by reading it.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

# ---- the golden Markdown document ----
got=$(${RUN:-} "$RD" doc tests/doc/small.sop 2>&1; echo "exit: $?")
if [ "${UPDATE:-0}" = 1 ]; then
    printf '%s\n' "$got" >tests/doc/small.md
    ok
elif [ "$got" = "$(cat tests/doc/small.md)" ]; then ok; else
    bad "tests/doc/small.md"
    printf '%s\n' "$got" | diff -u tests/doc/small.md - | head -40
fi

# Every opened tag is closed, in order (void elements and <x/> excepted; comments, the doctype and
# the XML prologue of an embedded SVG skipped). Prints the first mismatch.
tags_balanced() {
    tr '\n' ' ' <"$1" | sed 's/<!--[^>]*-->//g' | grep -o '<[^>]*>' | awk '
        /^<!/ || /^<\?/ { next }
        /\/>$/ { next }
        {
            t = $0; sub(/^<\/?/, "", t); sub(/[ >].*/, "", t); t = tolower(t)
            if (t ~ /^(meta|br|wbr|hr|img|input|link|col|area|base|source)$/) next
            if ($0 ~ /^<\//) {
                if (n == 0 || st[n] != t) { print "closing </" t "> but open is <" (n ? st[n] : "nothing") ">"; bad = 1; exit }
                n--
            } else st[++n] = t
        }
        END { if (!bad && n) { print "unclosed <" st[n] ">"; bad = 1 } exit bad }'
}

count() { grep -o "$2" "$1" | wc -l | tr -d ' '; }

for f in $(ls examples/*/*.sop | grep -v -e '^examples/violations/' -e '/before\.sop$'); do
    out="$tmp/$(basename "$f" .sop).html"
    if ! ${RUN:-} "$RD" doc "$f" -o "$out" 2>"$tmp/err"; then bad "$f: doc failed: $(head -3 "$tmp/err")"; continue; fi
    if msg=$(tags_balanced "$out"); then ok; else bad "$f: HTML not well formed: $msg"; fi
    # the ten components of seed 000 Sample 1, in order
    prev=0; allin=1
    for h in "1. Purpose and scope" "2. Groups and settings" "3. Definitions" "4. Guiding principles" \
        "5. Reporting and referral mechanism" "6. Responsibilities for provision of essential services" \
        "7. Documentation and information sharing" "8. Monitoring and evaluation" "9. Coordination mechanism" "10. Annexes"; do
        line=$(grep -n "<h2 id=\"c[0-9]*\">$h</h2>" "$out" | head -1 | cut -d: -f1)
        if [ -z "$line" ] || [ "$line" -le "$prev" ]; then allin=0; echo "  missing or out of order: $h"; fi
        prev=${line:-0}
    done
    if [ $allin = 1 ]; then ok; else bad "$f: component headings"; fi
    # one consent form per consent declared in the SOP and per language it serves
    langs=$(sed -n '/^sop /,/^}/p' "$f" | grep -E '^ *languages ' | sed 's/#.*//; s/^ *languages //; s/,/ /g')
    consents=$(grep -E '^consent [a-z_0-9]+ ' "$f" | awk '{print $2}')
    forms=$(count "$out" '<section class="form"')
    want=0; missing=""
    for c in $consents; do for l in $langs; do
        want=$((want + 1))
        grep -q "<section class=\"form\" id=\"form-$c-$l\">" "$out" || missing="$missing $c/$l"
    done; done
    if [ "$forms" -eq "$want" ] && [ -z "$missing" ]; then ok; else bad "$f: $forms consent forms, wanted $want (missing:$missing)"; fi
    # the sharing matrix: one row per data category of the definitions (3.1), one cell per
    # organisation of component 6 in each row
    actors=$(count "$out" '<h3 id="actor-')
    data=$(awk '/id="c3-data"/{on=1} /id="c3-services"/{on=0} on' "$out" | grep -o '<tr><td>' | wc -l | tr -d ' ')
    awk '/<table class="matrix">/{on=1} on{print} /<\/table>/{if(on) exit}' "$out" | sed 's/<\/tr>/\n/g' | grep '<th scope="row">' >"$tmp/rows"
    rows=$(wc -l <"$tmp/rows" | tr -d ' ')
    badrows=$(awk -v want="$actors" '{ n = gsub(/<td class="(never|none|consent|permit|duty)">/, "&"); if (n != want) c++ } END { print c + 0 }' "$tmp/rows")
    cols=$(awk '/<table class="matrix">/{on=1} on{print} /<\/thead>/{if(on) exit}' "$out" | grep -o '<th>' | wc -l | tr -d ' ')
    if [ "$data" -gt 0 ] && [ "$rows" -eq "$data" ] && [ "$badrows" -eq 0 ] && [ "$cols" -eq $((actors + 1)) ]; then ok
    else bad "$f: matrix has $rows rows for $data data categories, $cols columns for $actors organisations, $badrows rows with a wrong cell count"; fi
    # self-contained: nothing fetched, nothing run
    if grep -qiE '<script|<link|<iframe|<object|<embed|<img|src=|@import|url\(|href="(https?:)?//' "$out"; then
        bad "$f: refers to something outside the file: $(grep -oiE '<script|<link|<iframe|<object|<embed|<img|src=|@import|url\(|href="(https?:)?//' "$out" | head -1)"
    else ok; fi
    # translated text carries its language
    if grep -q '<html lang="en">' "$out" && grep -q '<meta charset="utf-8">' "$out"; then ok; else bad "$f: lang or charset"; fi
done

# Draft translations are marked as drafts; a language without a text says so on the form.
if grep -q '<span class="draft">DRAFT translation' "$tmp/mae_sot.html"; then ok; else bad "draft translations are not marked"; fi

# ---- files, formats and failures ----
expect() { # status description command...
    want=$1; what=$2; shift 2
    ${RUN:-} "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want ($(head -2 "$tmp/err"))"; fi
}
mkdir "$tmp/w"
: >"$tmp/w/not-a-folder"
expect 2 "-o into a folder that does not exist" "$RD" doc tests/doc/small.sop -o "$tmp/w/no/such/folder/x.html"
expect 2 "-o under a file" "$RD" doc tests/doc/small.sop -o "$tmp/w/not-a-folder/x.html"
if [ "$(ls -A "$tmp/w")" = "not-a-folder" ]; then ok; else bad "a failed -o left files: $(ls -A "$tmp/w")"; fi
if grep -q "cannot write" "$tmp/err"; then ok; else bad "a failed -o does not say why: $(cat "$tmp/err")"; fi
expect 2 "-o with an extension that names no format" "$RD" doc tests/doc/small.sop -o "$tmp/w/x.txt"
expect 0 "--format html names the format" "$RD" doc tests/doc/small.sop --format html -o "$tmp/w/x.txt"
if head -1 "$tmp/w/x.txt" | grep -q '<!DOCTYPE html>'; then ok; else bad "--format html did not write HTML"; fi
expect 0 "Markdown by extension" "$RD" doc tests/doc/small.sop -o "$tmp/w/x.md"
${RUN:-} "$RD" doc tests/doc/small.sop >"$tmp/stdout.md" 2>/dev/null
if cmp -s "$tmp/w/x.md" "$tmp/stdout.md"; then ok; else bad "-o x.md differs from the Markdown on standard output"; fi
# Writing over an existing document replaces it whole; no temporary file is left beside it.
expect 0 "writing over a document" "$RD" doc tests/doc/small.sop -o "$tmp/w/x.md"
if [ "$(ls -A "$tmp/w" | grep -c tmp)" -eq 0 ]; then ok; else bad "a temporary file was left: $(ls -A "$tmp/w")"; fi
expect 2 "-o goes with doc only" "$RD" check tests/doc/small.sop -o "$tmp/w/y.md"
# An SOP with errors: no document. An SOP whose principles fail: the document, saying so, exit 1.
printf 'sop "x" { languages en }\nactor a "A" { sector nowhere }\n' >"$tmp/bad.sop"
expect 1 "an SOP with errors" "$RD" doc "$tmp/bad.sop" -o "$tmp/w/bad.html"
if [ ! -e "$tmp/w/bad.html" ]; then ok; else bad "a document was written for an SOP with errors"; fi
expect 1 "an SOP whose principle fails" "$RD" doc examples/violations/firewall_direct.sop -o "$tmp/w/fails.md"
if grep -q 'FAILS at' "$tmp/w/fails.md" && grep -q 'A case that gets there' "$tmp/w/fails.md" && grep -q '^\*\*DRAFT' "$tmp/w/fails.md"; then ok
else bad "the document of a failing SOP does not show the failure with its counterexample"; fi

finish "doc"
