#!/bin/sh
# Hostile inputs (faults 12 to 19 of the issue "Trust under attack"): files made to exhaust the time
# or the memory of whoever reads them. Each run of rightdoor must end with a verdict, the error that
# says which limit and where, within its own time limit (timeout) and memory cap (limit_memory; none
# under AddressSanitizer, which reserves terabytes of address space). The inputs are generated here,
# at run time, in the scratch folder.
#   RIGHTDOOR=build-asan/rightdoor sh tests/adversarial/run.sh     # under the sanitizers
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
# A sanitizer report must not pass for exit status 1 (errors in the program).
ASAN_OPTIONS="exitcode=86:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=87:halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS
case "$RD" in *asan*) RD_ULIMIT_KB=${RD_ULIMIT_KB:-0} ;; esac
# The memory cap of tests/lib.sh, where it has one.
command -v limit_memory >/dev/null 2>&1 || limit_memory() {
    _kb=${RD_ULIMIT_KB:-${1:-4000000}}
    if [ "$_kb" != 0 ]; then ulimit -v "$_kb"; fi
}
top=$(pwd)

# run SECONDS KIB ARG...: `rightdoor ARG...` in $tmp, at most SECONDS and KIB of memory; what it
# prints is in $tmp/out, its exit status in $st.
run() {
    _t=$1 _kb=$2
    shift 2
    (cd "$tmp" && limit_memory "$_kb" && exec timeout -k 5 "$_t" ${RUN:-} "$RD" "$@") >"$tmp/out" 2>&1
    st=$?
}
# expect WHAT STATUS TEXT: the last run exited with STATUS and printed TEXT.
expect() {
    if [ "$st" = "$2" ] && grep -qF -- "$3" "$tmp/out"; then ok; else
        bad "$1: exit $st (expected $2 and \"$3\")"
        cut -c1-200 "$tmp/out" | head -8 | sed 's/^/    /'
    fi
}
# secret WHAT: the last run printed nothing of a case's content (the generated cases hold "SECRET").
secret() { if grep -q SECRET "$tmp/out"; then bad "$1: a message quotes the case"; else ok; fi; }
# repeat N TEXT: TEXT N times (printf escapes in TEXT; %d is the count, from 1).
repeat() { awk -v n="$1" -v t="$2" 'BEGIN { for (i = 1; i <= n; i++) printf t, i }'; }
# chars N C: the character C, N times.
chars() { head -c "$1" /dev/zero | tr '\0' "$2"; }
RD=$(cd "$(dirname "$RD")" && pwd)/$(basename "$RD")

# Programs the YAML files below are read by: a directory, a translations file, a case.
printf 'sop "dir" { languages en }\nuse std\ndirectory "dir.yaml"\n' >"$tmp/dir.sop"
printf 'sop "tr" { languages en, th }\nuse std\ntranslations "tr.yaml"\n' >"$tmp/tr.sop"
cat >"$tmp/case.sop" <<'SOP'
sop "case" { languages en }
use std
actor centre "Centre" { sector social_services specialist provides first_line_support }
pathway p "P" {
  entry centre
  start s
  step s "S" by provider { ask safe_now end "done" }
}
SOP
case_head='sop: "case.sop"\ncase: "c-1"\nlanguage: en\nopened_by: centre\n'
# A text of about 500 KB on 5,000 lines, named `&a` (a scalar on one line would pass the line limit).
big_block() { printf '%s &a |\n' "$1"; repeat 5000 "      SECRET%0100d\n"; }

# ---- 12. YAML aliases: each use of `*a` is what `&a` names, in full -------------------------------
{ printf 'providers:\n  - id: p0\n    name: "P"\n    sector: social_services\n'; big_block '    notes:'
  repeat 2000 '  - id: p%d\n    sector: social_services\n    name: *a\n    notes: *a\n'; } >"$tmp/dir.yaml"
run 30 500000 check dir.sop
expect "12 directory aliasing a 500 KB text 4,000 times" 1 "dir.yaml:5009:12: error: the aliases (\`*name\`) in this file stand for more than 1 MiB"
expect "12 directory aliases: what to do" 1 "help: write the values out where they are needed"
{ printf 'language: th\nnotices:\n'; big_block '  n0:'; repeat 2000 '  n%d: *a\n'; } >"$tmp/tr.yaml"
run 30 500000 check tr.sop
expect "12 translations aliasing a 500 KB text 2,000 times" 1 "tr.yaml:5005:7: error: the aliases"
{ printf "$case_head"; big_block 'pathway:'; printf 'events:\n'; repeat 2000 '  - { inform: *a }\n'; } >"$tmp/case.yaml"
run 30 500000 next case.sop case.yaml
expect "12 case aliasing a 500 KB text 2,000 times" 1 "case.yaml:5008:15: error: the aliases"
secret "12 case aliases"
# Billion laughs: each level names ten of the one below, nine levels deep.
{ printf 'providers:\n  - id: p0\n    sector: social_services\n    notes: &l0 "lol"\n'
  i=1; while [ $i -le 9 ]; do printf '    n%d: &l%d [' $i $i; repeat 10 "*l$((i - 1)), " | sed 's/, $//'; printf ']\n'; i=$((i + 1)); done
  printf '    name: *l9\n'; } >"$tmp/dir.yaml"
run 30 500000 check dir.sop
expect "12 billion laughs" 1 "error: the aliases (\`*name\`) in this file stand for more than 1 MiB"
printf 'providers: &a\n  - id: p0\n    sector: social_services\n    notes: *a\n' >"$tmp/dir.yaml"
run 30 500000 check dir.sop
expect "12 an alias inside what it names" 1 "dir.yaml:4:12: error: this alias (\`*\`) stands for the list or mapping it is in"
{ printf 'providers:\n'; repeat 1001 '  - &a%d p\n'; } >"$tmp/dir.yaml"
run 30 500000 check dir.sop
expect "12 a thousand and one anchors" 1 "dir.yaml:1002:5: error: this file names more than 1000 values with anchors"

# ---- 13. YAML nested 100,000 deep: refused before libyaml's loader (quadratic in depth) sees it --
# deep OPEN CLOSE: 100,000 OPEN then as many CLOSE, 1,000 to a line (a line may not pass 128 KiB).
deep() { repeat 100 " $(chars 1000 "$1")\n"; printf ' SECRET\n'; repeat 100 " $(chars 1000 "$2")\n"; }
{ printf 'providers:\n'; deep '[' ']'; } >"$tmp/dir.yaml"
run 10 300000 check dir.sop
expect "13 directory nested 100,000 deep" 1 "dir.yaml:2:65: error: lists and mappings are nested more than 64 deep here"
expect "13 directory nested deep: what to do" 1 "help: a directory, translations or case file needs a few levels"
{ printf 'language: th\nnotices:\n'; deep '{' '}'; } >"$tmp/tr.yaml"
run 10 300000 check tr.sop
expect "13 translations nested 100,000 deep" 1 "tr.yaml:3:65: error: lists and mappings are nested more than 64 deep"
{ printf "$case_head"; printf 'facts:\n'; deep '[' ']'; } >"$tmp/case.yaml"
run 10 300000 next case.sop case.yaml
expect "13 case nested 100,000 deep" 1 "case.yaml:6:65: error: lists and mappings are nested more than 64 deep"
secret "13 case nested deep"
# Block style, one level per line: 63 levels under the root pass the check (and fail as a directory).
{ printf 'providers:\n'; i=1; while [ $i -le 63 ]; do printf '%*s-\n' $((2 * i)) ''; i=$((i + 1)); done; } >"$tmp/dir.yaml"
run 10 300000 check dir.sop
if [ "$st" = 1 ] && ! grep -q "nested more than" "$tmp/out"; then ok; else bad "13 nesting 64 deep is allowed: exit $st"; fi
printf '%*s- x\n' 128 '' >>"$tmp/dir.yaml"
run 10 300000 check dir.sop
expect "13 block style 65 deep" 1 "dir.yaml:65:129: error: lists and mappings are nested more than 64 deep"

# ---- 14. Long lines: refused past 128 KiB; a diagnostic keeps only the part it shows --------------
{ printf 'sop "l" { languages en }\n'; repeat 50000 'fact x: bool = y and '; echo; } >"$tmp/line.sop"
run 10 300000 check line.sop
expect "14 a one-line SOP of 1 MB" 1 "line.sop:2:131073: error: this line is longer than 128 KiB, the most a line may hold"
if [ "$(grep -c 'error:' "$tmp/out")" = 1 ] && [ "$(wc -c <"$tmp/out")" -lt 2000 ]; then ok; else
    bad "14 a one-line SOP: one short error"; fi
# Just under the limit: about 3,000 mistakes on one line of 63 KB, each shown as a window.
{ printf 'sop "l" { languages en }\n'; repeat 3000 'fact x: bool = y and '; echo; } >"$tmp/line.sop"
run 20 300000 check --format json line.sop
expect "14 a line of 63 KB with 3,000 mistakes, in JSON" 1 '"source_column": 29'
if grep -q '"source_line": "\.\.\.' "$tmp/out" && [ "$(wc -c <"$tmp/out")" -lt 2000000 ]; then ok; else
    bad "14 each diagnostic holds a window of the line"; fi
run 20 300000 check line.sop
expect "14 the window around the caret" 1 " 2 | ...= y and fact x: bool = y and fact x: bool = y and fact x: bool = y and fact x: bool = y and fact x: ..."
expect "14 the caret in the window" 1 "   |$(printf '%54s' '')^~~~"
{ printf "$case_head"; printf 'facts: { safe_now: true, SECRET: '; chars 1000000 'x'; echo ' }'; } >"$tmp/case.yaml"
run 10 300000 next case.sop case.yaml
expect "14 a one-line case of 1 MB" 1 "case.yaml:5:131073: error: this line is longer than 128 KiB"
secret "14 a one-line case"
# On a line under the limit, 3,000 mistakes: no line of a case is shown, nor kept.
{ printf "$case_head"; printf 'events: [ { inform: SECRET, at: SECRET }'; repeat 1500 ', { inform: SECRET%d, at: SECRET }'; echo ' ]'; } >"$tmp/case.yaml"
run 10 300000 next case.sop case.yaml
expect "14 a case with 3,000 mistakes on one line" 1 "case.yaml:5:21: error: this value cannot be used as a name"
secret "14 a case's long line"

# ---- 15. `a or a or ...`: the diagram is linear in a condition's size ------------------------------
cat >"$tmp/or.sop" <<SOP
sop "or" { languages en }
use std
actor centre "Centre" { sector social_services specialist provides first_line_support }
fact a: bool "A?"
pathway p "P" {
  entry centre
  start s
  step s "S" by provider {
    ask a
    if a$(repeat 59 ' or a') { end "yes" }
    if a$(repeat 59 ' and not a') { end "no" }
    end "neither"
  }
}
SOP
run 10 300000 graph or.sop
expect "15 graph of \`a or a ...\` (60 terms)" 0 "digraph"
run 30 1000000 doc or.sop -o or.html
if [ "$st" = 0 ] && grep -q '</html>' "$tmp/or.html"; then ok; else bad "15 doc -o x.html of \`a or a ...\` (60 terms): exit $st"; fi

# ---- 16. A chain of computed facts each read twice: Promela and Cedar linear, or refused -----------
chain() {
    printf 'sop "chain" { languages en }\nuse std\nactor centre "Centre" { sector social_services specialist provides first_line_support }\n'
    printf 'fact f0: bool "F0?"\n'
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "fact f%d: bool = f%d %s f%d\n", i, i - 1, i % 2 ? "and" : "or", i - 1 }'
    printf 'permit p1 "P" { shares survivor_name with centre when known f%s }\n' "$1"
    printf 'pathway p "P" {\n  entry centre\n  start s\n  step s "S" by provider {\n    ask f0\n    if f%s { end "yes" }\n    end "no"\n  }\n}\n' "$1"
}
chain 31 >"$tmp/chain.sop"
run 10 300000 graph --format promela chain.sop -o chain.pml
if [ "$st" = 0 ] && [ "$(wc -c <"$tmp/chain.pml")" -lt 200000 ]; then ok; else bad "16 promela of a chain of 31: exit $st"; fi
if grep -qF 'inline cd4() { d4 = (((d3 == 1) || (d3 == 1)) -> 1 : (((d3 == 0) && (d3 == 0)) -> 0 : 2)) }' "$tmp/chain.pml"; then ok; else
    bad "16 promela: each computed fact worked out once, from the one before"; fi
if command -v spin >/dev/null 2>&1; then
    if (cd "$tmp" && limit_memory 1000000 && timeout 60 spin -a chain.pml >/dev/null 2>&1); then ok; else bad "16 spin reads the chain's model"; fi
fi
run 10 300000 cedar chain.sop -o cedar
expect "16 cedar of a chain of 31" 1 "chain.sop:36:55: error: this condition cannot be written in Cedar"
if [ -z "$(ls "$tmp/cedar" 2>/dev/null)" ]; then ok; else bad "16 cedar: nothing is written"; fi
chain 8 >"$tmp/chain.sop"
run 10 300000 cedar chain.sop -o cedar
if [ "$st" = 0 ] && grep -q 'context.facts\["f0"\]' "$tmp/cedar/policies.cedar"; then ok; else bad "16 cedar of a chain of 8 is written: exit $st"; fi

# ---- 17. Graphviz under limits: a diagram too large to draw in 10 s (200 tangled steps: minutes) ---
awk 'BEGIN { srand(1)
    print "sop \"big\" { languages en }"; print "use std"
    print "actor centre \"Centre\" { sector social_services specialist provides first_line_support }"
    print "fact a: bool \"A?\""; print "pathway p \"P\" {"; print "  entry centre"; print "  start s0"
    for (i = 0; i < 200; i++) printf "  step s%d \"S%d\" by provider { ask a if a { goto s%d } %s }\n", i, i, int(rand() * 200), i < 199 ? "goto s" (i + 1) : "end \"done\""
    print "}" }' >"$tmp/big.sop"
if command -v dot >/dev/null 2>&1; then
    real_dot=$(command -v dot)
    ls /tmp | grep '^rightdoor-doc-' >"$tmp/tmp_before"
    run 40 1000000 doc big.sop -o big.html
    expect "17 doc of a diagram too large to draw" 0 "the pathway diagram is left out of the document: Graphviz's \`dot\` took more than 10 s"
    if grep -qF "The diagram is not drawn here: Graphviz&#39;s <code>dot</code>, which draws it, took more than 10 s" "$tmp/big.html"; then ok; else
        bad "17 the document says why there is no diagram"; fi
    run 40 1000000 graph big.sop -o big.svg
    expect "17 graph -o svg of a diagram too large to draw" 2 "Graphviz's \`dot\` took more than 10 s, the most it may take, and was stopped"
    if [ ! -e "$tmp/big.svg" ] && ! ls "$tmp" | grep -q '\.tmp\.'; then ok; else bad "17 graph: no picture, no temporary file"; fi
    # Killed while `dot` draws: `dot` goes too, and nothing is left in /tmp.
    mkdir "$tmp/bin"
    printf '#!/bin/sh\necho $$ >"%s/dot.pid"\nexec "%s" "$@"\n' "$tmp" "$real_dot" >"$tmp/bin/dot"
    chmod +x "$tmp/bin/dot"
    (cd "$tmp" && PATH="$tmp/bin:$PATH" exec "$RD" doc big.sop -o killed.html) >/dev/null 2>&1 &
    pid=$!
    n=0
    while [ ! -s "$tmp/dot.pid" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    sleep 1
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    sleep 1
    # Gone, or a zombie that no init reaps (in a container).
    if [ -s "$tmp/dot.pid" ] && ! ps -o stat= -p "$(cat "$tmp/dot.pid")" | grep -qv Z; then ok; else
        bad "17 killed while drawing: dot still runs"
        [ -s "$tmp/dot.pid" ] && kill -9 "$(cat "$tmp/dot.pid")" 2>/dev/null
    fi
    ls /tmp | grep '^rightdoor-doc-' >"$tmp/tmp_after"
    if cmp -s "$tmp/tmp_before" "$tmp/tmp_after" && [ ! -e "$tmp/killed.html" ]; then ok; else
        bad "17 killed while drawing: a temporary file was left behind"
        comm -13 "$tmp/tmp_before" "$tmp/tmp_after" | sed 's|^|/tmp/|' | xargs rm -f
    fi
else
    echo "adversarial: Graphviz is not installed: the tests of fault 17 are skipped"
fi

# ---- 18. Lua: one budget for all the calls of a question, and of a test run ------------------------
printf 'local s = string.rep("a", 3000000)\nlocal t = s .. "b"\nwhile true do local _ = s < t end\n' >"$tmp/slow.lua"
{ printf 'sop "lua" { languages en }\nuse std\nactor centre "Centre" { sector social_services specialist provides first_line_support }\n'
  repeat 12 'fact l%d: bool = lua "slow.lua"\n'
  printf 'permit p1 "P" { shares survivor_name with centre when l1 or l2 or l3 or l4 or l5 or l6 or l7 or l8 or l9 or l10 or l11 or l12 }\n'
  printf 'pathway p "P" {\n  entry centre\n  start s\n  step s "S" by provider {\n'
  repeat 12 '    if l%d { end "yes" }\n'
  printf '    end "no"\n  }\n}\n'
  repeat 10 'test "t%d" {\n  pathway p\n  expect end\n}\n'; } >"$tmp/lua.sop"
printf "$case_head" | sed 's/case.sop/lua.sop/' >"$tmp/lua.yaml"
run 8 300000 next lua.sop lua.yaml
expect "18 next: 12 facts of 1 s each, in a budget of 2 s" 0 'end s: no'
run 8 300000 explain lua.sop lua.yaml
expect "18 explain: the same" 0 'end s: no'
run 8 300000 may-share lua.sop lua.yaml survivor_name centre centre
expect "18 may-share: the same" 0 'deny'
run 20 300000 test lua.sop
expect "18 test: 10 tests, in a budget of 10 s for all" 0 '10 passed, 0 failed'

# ---- 19. Files that are not regular files: refused unopened, never waited on ----------------------
mkfifo "$tmp/fifo"
run 5 300000 check fifo
expect "19 a FIFO as the SOP" 2 "fifo: error: cannot read this file: it is not a regular file (a FIFO, a device or a folder)"
for what in 'use fifo' 'directory "fifo"' 'translations "fifo"' 'fact l: bool = lua "fifo"'; do
    ln -sf fifo "$tmp/fifo.sop"
    printf 'sop "f" { languages en, th }\nuse std\n%s\nactor centre "Centre" { sector social_services provides first_line_support }\n' "$what" >"$tmp/f.sop"
    printf 'pathway p "P" {\n  entry centre\n  start s\n  step s "S" by provider { if l { end "l" } end "done" }\n}\n' >>"$tmp/f.sop"
    [ "$what" = 'fact l: bool = lua "fifo"' ] || sed -i 's/if l { end "l" } //' "$tmp/f.sop"
    if [ "$what" = 'fact l: bool = lua "fifo"' ]; then run 5 300000 next f.sop lua.yaml; else run 5 300000 check f.sop; fi
    if [ "$st" -le 2 ] && grep -qF "it is not a regular file" "$tmp/out"; then ok; else bad "19 a FIFO named by \`$what\`: exit $st"; cut -c1-200 "$tmp/out" | head -4; fi
done
run 5 300000 next case.sop fifo
expect "19 a FIFO as the case" 2 "fifo: error: cannot read this file: it is not a regular file"
run 5 300000 fmt --check fifo
expect "19 a FIFO given to fmt" 2 "fifo: error: cannot read this file: it is not a regular file"
run 5 300000 check /dev/zero
expect "19 a device as the SOP" 2 "it is not a regular file"
mkdir "$tmp/folder.sop"
run 5 300000 check folder.sop
expect "19 a folder as the SOP" 2 "it is not a regular file"

finish adversarial
