#!/bin/sh
# `rightdoor fmt`: the repository's own SOPs are in the canonical layout; a messy draft comes out
# exactly as tests/fmt/messy.expected.sop; formatting twice changes nothing, for every .sop in the
# repository; comments survive; the layout never changes what `check` says; a file with a syntax
# error is left untouched; --check lists what is not laid out and exits 1; the exit codes.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

# The shipped SOPs are laid out: --check lists nothing and exits 0.
out=$(${RUN:-} "$RD" fmt --check $(find examples stdlib rules -name '*.sop' | sort) 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then ok; else bad "shipped SOPs not laid out (run rightdoor fmt on them):"; printf '%s\n' "$out" | head; fi

# The messy draft, printed and rewritten in place (permissions kept, no temporary file left).
exp=tests/fmt/messy.expected.sop
got=$(${RUN:-} "$RD" fmt --stdout tests/fmt/messy.sop; echo x)
if [ "$got" = "$(cat "$exp"; echo x)" ]; then ok; else bad "messy.sop --stdout"; printf '%s' "$got" | diff -u "$exp" - | head -40; fi
mkdir "$tmp/w"
cp tests/fmt/messy.sop "$tmp/w/messy.sop"
chmod 640 "$tmp/w/messy.sop"
out=$(${RUN:-} "$RD" fmt "$tmp/w/messy.sop" 2>&1)
if [ $? -eq 0 ] && [ "$out" = "$tmp/w/messy.sop: formatted" ] && cmp -s "$tmp/w/messy.sop" "$exp" &&
    [ "$(ls "$tmp/w")" = messy.sop ] && [ "$(stat -c %a "$tmp/w/messy.sop")" = 640 ]; then ok; else bad "messy.sop in place: $out"; fi
out=$(${RUN:-} "$RD" fmt "$tmp/w/messy.sop" 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then ok; else bad "a laid-out file is left alone: $out"; fi
# standard input to standard output
got=$(${RUN:-} "$RD" fmt - <tests/fmt/messy.sop; echo x)
if [ "$got" = "$(cat "$exp"; echo x)" ]; then ok; else bad "fmt - (standard input)"; fi

# The comments of a file, blanks left out, in order: what no layout may lose.
comments() { grep -o '#.*' "$1" | tr -d ' \t'; }

# Every .sop of the repository that reads without syntax errors: formatting twice changes nothing,
# every comment is still there, and when the layout changed, `check` says the same things (the
# same messages at the same declarations; only line numbers and the quoted lines may move).
verdicts() { # file -> one line per diagnostic, position dropped, then the summary and exit status
    (${RUN:-} "$RD" check "$1" 2>&1; echo "exit: $?") | grep -E '^[^ ]+: (error|warning|note)|^exit:|errors?,|: ok ' |
        sed -E 's/^[^ ]*:[0-9]+:[0-9]+: //; s/^[^ ]*: ok/ok/'
}
nread=0
for f in $(find examples stdlib rules tests -name '*.sop' | sort); do
    if ! ${RUN:-} "$RD" fmt --stdout "$f" >"$tmp/once.sop" 2>"$tmp/err"; then
        # only a file with a syntax (or reading) error may be refused, and then with its position
        if grep -qE '^[^ ]+:[0-9]+:[0-9]+: error' "$tmp/err" && ! grep -q fmt-internal "$tmp/err"; then continue; fi
        bad "$f refused:"; head -5 "$tmp/err"; continue
    fi
    nread=$((nread + 1))
    ${RUN:-} "$RD" fmt --stdout - <"$tmp/once.sop" >"$tmp/twice.sop" 2>&1
    if cmp -s "$tmp/once.sop" "$tmp/twice.sop"; then ok; else bad "$f: formatting twice changes it"; diff "$tmp/once.sop" "$tmp/twice.sop" | head -10; fi
    if [ "$(comments "$f")" = "$(comments "$tmp/once.sop")" ]; then ok; else bad "$f: a comment was lost or changed"; fi
    if ! cmp -s "$f" "$tmp/once.sop"; then
        # beside the original, so that `use`, `directory` and `translations` find the same files
        side="$(dirname "$f")/.fmt-test-$$-$(basename "$f")"
        cp "$tmp/once.sop" "$side"
        before=$(verdicts "$f" | sed "s|$f|FILE|g")
        after=$(verdicts "$side" | sed "s|$side|FILE|g")
        rm -f "$side"
        if [ "$before" = "$after" ]; then ok; else bad "$f: check says something else after fmt"; printf '%s\n' "$before" >"$tmp/b"; printf '%s\n' "$after" | diff "$tmp/b" - | head -10; fi
    fi
done
# the repository has well over a hundred such files; a scan that silently refuses them all must fail
if [ "$nread" -gt 100 ]; then ok; else bad "only $nread files were formatted"; fi

# A syntax error: the file is not touched, the error has its place, exit 1.
printf 'actor a "A" {\n    sector   health\n  provides urgent_care,\n}\n' >"$tmp/syntax.sop"
cp "$tmp/syntax.sop" "$tmp/syntax.orig"
out=$(${RUN:-} "$RD" fmt "$tmp/syntax.sop" 2>&1)
st=$?
if [ $st -eq 1 ] && cmp -s "$tmp/syntax.sop" "$tmp/syntax.orig" && printf '%s\n' "$out" | grep -q "^$tmp/syntax.sop:4:1: error" &&
    [ "$(ls "$tmp" | grep -c fmt)" = 0 ]; then ok; else bad "syntax error: exit $st, file changed or no position: $out"; fi

# --check: lists the files that are not laid out, writes nothing, exits 1; 0 when all are.
cp tests/fmt/messy.sop "$tmp/m1.sop"
cp "$exp" "$tmp/m2.sop"
out=$(${RUN:-} "$RD" fmt --check "$tmp/m1.sop" "$tmp/m2.sop" 2>&1)
st=$?
if [ $st -eq 1 ] && [ "$out" = "$tmp/m1.sop" ] && cmp -s "$tmp/m1.sop" tests/fmt/messy.sop; then ok; else bad "--check on an unformatted file: exit $st: $out"; fi
${RUN:-} "$RD" fmt --check "$tmp/m2.sop" >/dev/null 2>&1
st=$?
if [ $st -eq 0 ]; then ok; else bad "--check on a laid-out file: exit $st"; fi

# Several files: each is done; the worst status wins.
cp tests/fmt/messy.sop "$tmp/m3.sop"
${RUN:-} "$RD" fmt "$tmp/syntax.sop" "$tmp/m3.sop" >/dev/null 2>&1
st=$?
if [ $st -eq 1 ] && cmp -s "$tmp/m3.sop" "$exp" && cmp -s "$tmp/syntax.sop" "$tmp/syntax.orig"; then ok; else bad "two files, one with an error: exit $st"; fi

expect_exit() { # expected-status description command...
    want=$1; what=$2; shift 2
    ${RUN:-} "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; fi
}
expect_exit 2 "fmt with no file" "$RD" fmt
expect_exit 2 "fmt --check --stdout" "$RD" fmt --check --stdout "$tmp/m2.sop"
expect_exit 2 "fmt --frob" "$RD" fmt --frob "$tmp/m2.sop"
expect_exit 2 "fmt on a missing file" "$RD" fmt "$tmp/none.sop"
expect_exit 2 "fmt on a folder" "$RD" fmt "$tmp"
expect_exit 0 "fmt --help" "$RD" fmt --help
: >"$tmp/empty.sop"
expect_exit 0 "fmt on an empty file" "$RD" fmt --check "$tmp/empty.sop"
printf 'sector a "\377"\n' >"$tmp/latin1.sop"
expect_exit 1 "fmt on a file that is not UTF-8" "$RD" fmt "$tmp/latin1.sop"

finish "fmt"
