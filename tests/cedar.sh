#!/bin/sh
# `rightdoor cedar`: the translation of tests/cedar/rules.sop (every form a may-share rule takes)
# and of the context of a question about tests/cedar/case.yaml is exactly tests/cedar/expected/*
# (run with UPDATE=1 to rewrite them, then review them by reading them); without a case no context
# is written; usage errors and an SOP with errors write nothing. That Cedar then decides as
# rd_may_share does is checked by bench/cedar/ (it needs Node.js): see README "Performance".
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

${RUN:-} "$RD" cedar tests/cedar/rules.sop tests/cedar/case.yaml clinic --now 2024-05-02T10:00:00Z -o "$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ]; then ok; else bad "cedar with a case: exit $rc"; cat "$tmp/err"; fi
for f in policies.cedar entities.json schema.cedarschema context.json; do
    if [ "${UPDATE:-0}" = 1 ]; then mkdir -p tests/cedar/expected && cp "$tmp/out/$f" "tests/cedar/expected/$f"; fi
    if cmp -s "$tmp/out/$f" "tests/cedar/expected/$f"; then ok; else
        bad "cedar: $f differs from tests/cedar/expected/$f"; diff -u "tests/cedar/expected/$f" "$tmp/out/$f" | head -30; fi
done
if ls "$tmp/out" | grep -q tmp; then bad "cedar: a temporary file was left behind"; else ok; fi

# Without a case: the rules only.
${RUN:-} "$RD" cedar tests/cedar/rules.sop -o "$tmp/rules" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ -s "$tmp/rules/policies.cedar" ] && [ ! -e "$tmp/rules/context.json" ]; then ok; else
    bad "cedar without a case: exit $rc, or a context was written"; fi

# Usage: -o is needed; a case needs the actor asking.
"$RD" cedar tests/cedar/rules.sop >"$tmp/out1" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "name their folder with -o DIR" "$tmp/err"; then ok; else bad "cedar without -o: exit $rc"; cat "$tmp/err"; fi
"$RD" cedar tests/cedar/rules.sop tests/cedar/case.yaml -o "$tmp/x" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && [ ! -e "$tmp/x" ]; then ok; else bad "cedar with a case and no actor: exit $rc"; fi

# An SOP with errors, or a case that does not load: exit 1, nothing written.
printf 'actor a "A" { sector nosuch }\n' >"$tmp/bad.sop"
"$RD" cedar "$tmp/bad.sop" -o "$tmp/bad" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$tmp/bad" ]; then ok; else bad "cedar on a broken SOP: exit $rc"; fi
printf 'sop: "x"\ncase: "y"\nopened_by: nobody\n' >"$tmp/bad.yaml"
"$RD" cedar tests/cedar/rules.sop "$tmp/bad.yaml" centre -o "$tmp/bad2" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$tmp/bad2" ]; then ok; else bad "cedar with a broken case: exit $rc"; fi
# A folder that cannot be made.
"$RD" cedar tests/cedar/rules.sop -o /proc/no/such/dir 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "cannot create the folder" "$tmp/err"; then ok; else bad "cedar -o into nowhere: exit $rc"; fi

finish "cedar"
