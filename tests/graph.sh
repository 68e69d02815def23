#!/bin/sh
# `rightdoor graph`: the diagram of tests/graph/small.sop is exactly tests/graph/small.dot (run with
# UPDATE=1 to rewrite it, then review it by reading it); what a committee needs to see is in it;
# Graphviz reads the diagram of every shipped SOP without a warning; -o writes pictures through
# `dot`, and says plainly when Graphviz is missing or fails, leaving no file behind.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
small=tests/graph/small.sop

# The golden diagram.
${RUN:-} "$RD" graph "$small" >"$tmp/small.dot" 2>"$tmp/small.err"
rc=$?
if [ "${UPDATE:-0}" = 1 ]; then cp "$tmp/small.dot" tests/graph/small.dot; fi
if [ $rc -eq 0 ] && cmp -s "$tmp/small.dot" tests/graph/small.dot; then ok; else
    bad "graph $small (exit $rc) differs from tests/graph/small.dot"; diff -u tests/graph/small.dot "$tmp/small.dot" | head -30; fi
if grep -q "1 check fails in $small" "$tmp/small.err"; then ok; else bad "graph: the failing check is mentioned"; fi

# What it must show, checked one by one so a failure says what went missing.
has() { # description pattern
    if grep -qF -- "$2" "$tmp/small.dot"; then ok; else bad "small.dot: $1 (no \`$2\`)"; fi
}
has "the question as a diamond" 'shape=diamond style=filled fillcolor="#fff7d6" label=<Are you safe right<BR/>now?>'
has "the consent gate" 'shape=diamond peripheries=2'
has "the granted edge" 'label="granted"'
has "the refused edge" 'label="refused"'
has "the else edge says unknown goes there" 'label="no / not known"'
has "the choice and its options" 'label=<A safe place to stay>'
has "the police referral in the police colour" 'fillcolor="#80b1d3" fontcolor="black" label=<<B>Refer to Test Police Station'
has "the shelter referral in the shelter colour" 'fillcolor="#b3de69"'
has "the legend lists the sectors drawn" '<TD BGCOLOR="#4d4d4d"><FONT COLOR="white">Immigration enforcement</FONT></TD>'
has "the duty as an octagon" 'shape=octagon'
has "protected data in red" '<FONT COLOR="#d7301f"><B>migration_status (protected)</B></FONT>'
has "the step as a cluster with its label" 'label=<<B>Report received</B><BR/><FONT POINT-SIZE="10">by the provider who received her</FONT>>'
has "the failing principle named" 'label=<<B>Principle <I>firewall</I> fails</B>'
has "the failing path: the granted edge in bold red" 'n6 -> n4 [label="granted" fontcolor="#1a9850" color="#c8102e" penwidth=4]'
has "the failing path: the duty in bold red" 'color="#c8102e" penwidth=4 tooltip="tests/graph/small.sop:38: duty status_report'
has "quotes and backslashes escaped in a DOT string" 'tooltip="tests/graph/small.sop:46: end \"she said \"not now\" \\ may come back\""'
has "quotes, <, > and & escaped in an HTML label" 'Small &quot;test&quot; SOP \ diagram'
has "markup characters escaped" 'Refer to Test Shelter &lt;A&gt; &amp; Co'
has "Thai passes through" 'ผู้หญิงมาที่ศูนย์ (she comes to the centre)'
# Off the failing path nothing is bold red: the refused edge and the shelter referral.
if grep -F 'n6 -> n15' "$tmp/small.dot" | grep -qv 'penwidth=4' && grep -F 'Refer to Test Shelter' "$tmp/small.dot" | grep -qv 'penwidth=4'; then ok; else
    bad "small.dot: only the failing path is highlighted"; fi

# Highlighting on a shipped violation: the chain of firewall_chain.sop, to the duty at the police.
${RUN:-} "$RD" graph examples/violations/firewall_chain.sop >"$tmp/chain.dot" 2>/dev/null
if grep -F 'firewall_chain.sop:54: refer riverside_police' "$tmp/chain.dot" | grep -q 'color="#c8102e" penwidth=4' &&
    grep -F 'firewall_chain.sop:54: duty foreigners_report' "$tmp/chain.dot" | grep -q 'color="#c8102e" penwidth=4' &&
    grep -F 'firewall_chain.sop:46: refer riverside_hospital' "$tmp/chain.dot" | grep -q 'penwidth=4' &&
    grep -qF 'Principle <I>firewall</I> fails' "$tmp/chain.dot" &&
    ! grep -F 'firewall_chain.sop:57: end' "$tmp/chain.dot" | grep -q 'penwidth=4'; then ok; else
    bad "firewall_chain.sop: the path to immigration is drawn bold red, and only it"; fi
# A program that passes has nothing highlighted.
${RUN:-} "$RD" graph examples/annex1a/annex1a.sop >"$tmp/a.dot" 2>"$tmp/a.err"
if [ $? -eq 0 ] && ! grep -q 'c8102e' "$tmp/a.dot" && [ ! -s "$tmp/a.err" ]; then ok; else bad "annex1a: nothing highlighted, nothing said"; fi

# Graphviz reads the diagram of every SOP shipped, and of every violation, without a word.
if command -v dot >/dev/null 2>&1; then
    for f in $(find examples tests/graph -name '*.sop' | sort); do
        ${RUN:-} "$RD" graph "$f" >"$tmp/x.dot" 2>/dev/null
        if dot -Tsvg -o /dev/null "$tmp/x.dot" 2>"$tmp/x.err" && [ ! -s "$tmp/x.err" ]; then ok; else
            bad "dot on the diagram of $f:"; head -5 "$tmp/x.err"; fi
    done
    # -o FILE.svg through Graphviz; nothing temporary left next to it.
    if ${RUN:-} "$RD" graph "$small" -o "$tmp/out.svg" 2>/dev/null && grep -q '<svg' "$tmp/out.svg" &&
        grep -q 'Refer to Test Police Station' "$tmp/out.svg" && [ -z "$(ls "$tmp" | grep '\.tmp\.')" ]; then ok; else
        bad "graph -o FILE.svg"; fi
    if ${RUN:-} "$RD" graph "$small" -o "$tmp/out.png" 2>/dev/null && [ "$(head -c 4 "$tmp/out.png" | tail -c 3)" = PNG ]; then ok; else
        bad "graph -o FILE.png"; fi
else
    echo "note: Graphviz (dot) is not installed here: the SVG, PNG and dot-reads-it checks were not run"
fi

# -o FILE.dot is what stdout gets; --format json keeps the decision graph as JSON.
if ${RUN:-} "$RD" graph "$small" -o "$tmp/out.dot" 2>/dev/null && cmp -s "$tmp/out.dot" tests/graph/small.dot; then ok; else bad "graph -o FILE.dot"; fi
if ${RUN:-} "$RD" graph --format json "$small" 2>/dev/null | grep -q '"pathways"'; then ok; else bad "graph --format json"; fi
# --format promela: a SPIN model with one LTL formula per firewall or notice principle (tests/spin/
# checks what SPIN makes of it); -o FILE.pml writes the same through a temporary file.
if ${RUN:-} "$RD" graph --format promela "$small" > "$tmp/model.pml" 2>/dev/null && grep -q '^active proctype walk' "$tmp/model.pml" &&
   ${RUN:-} "$RD" graph --format promela "$small" -o "$tmp/out.pml" && cmp -s "$tmp/model.pml" "$tmp/out.pml"; then ok; else bad "graph --format promela"; fi

# Without Graphviz on the PATH: the message, exit 2, no file.
out=$(PATH=/nonexistent "$RD" graph "$small" -o "$tmp/none.svg" 2>&1)
rc=$?
if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -qF 'rightdoor: Graphviz is not installed: install the `graphviz` package, or write DOT with -o FILE.dot' &&
    [ ! -e "$tmp/none.svg" ] && [ -z "$(ls "$tmp" | grep '\.tmp\.')" ]; then ok; else bad "no Graphviz: exit $rc, $out"; fi

# A `dot` that fails: its exit status is reported, exit 2, no file.
mkdir "$tmp/bin"
printf '#!/bin/sh\ncat >/dev/null\necho "Error: fake dot" >&2\nexit 3\n' >"$tmp/bin/dot"
chmod +x "$tmp/bin/dot"
out=$(PATH="$tmp/bin:/usr/bin:/bin" "$RD" graph "$small" -o "$tmp/broken.png" 2>&1)
rc=$?
if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -qF "Graphviz's \`dot\` failed (exit status 3)" &&
    [ ! -e "$tmp/broken.png" ] && [ -z "$(ls "$tmp" | grep '\.tmp\.')" ]; then ok; else bad "failing dot: exit $rc, $out"; fi

# Usage mistakes.
expect_exit() { # expected-status description command...
    want=$1; what=$2; shift 2
    ${RUN:-} "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; fi
}
expect_exit 2 "-o with an unknown extension" "$RD" graph "$small" -o "$tmp/out.txt"
expect_exit 2 "--format json with -o FILE.svg" "$RD" graph --format json "$small" -o "$tmp/out.svg"
expect_exit 2 "--format sarif" "$RD" graph --format sarif "$small"
expect_exit 2 "--format promela with -o FILE.dot" "$RD" graph --format promela "$small" -o "$tmp/out.dot"
expect_exit 2 "--format promela with another command" "$RD" check --format promela "$small"
expect_exit 2 "-o with another command" "$RD" check "$small" -o "$tmp/out.dot"
expect_exit 2 "-o into a folder that does not exist" "$RD" graph "$small" -o "$tmp/no/such/out.dot"
expect_exit 1 "a program with errors" "$RD" graph tests/golden/bad/$(ls tests/golden/bad | grep '\.sop$' | head -n 1)

finish "graph"
