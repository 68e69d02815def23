#!/bin/sh
# Violation tests: each examples/violations/NAME.sop is a plausible committee draft that breaks one
# principle (its header says which, the seed passage it offends, and the fix); NAME.out holds
# exactly what `rightdoor check` prints for it (stdout and stderr) followed by its exit status.
# Run with UPDATE=1 to rewrite the .out files, then review the diff by reading it.
#
# Files whose header says "KNOWN VERIFIER GAP" or "KNOWN MISLEADING PATH" document a verifier
# bug: their .out is what the verifier prints TODAY, not what it should print (the header says
# what it should print). They are listed at the end; when the bug is fixed, regenerate the .out
# and drop the header note.
set -u
cd "$(dirname "$0")/.."
RD=${RIGHTDOOR:-./rightdoor}
# Memory cap per run, in KiB. AddressSanitizer builds reserve terabytes of address space and
# abort under any cap: run them with RD_ULIMIT_KB=0.
limit=${RD_ULIMIT_KB:-4000000}
cap() { if [ "$limit" != 0 ]; then ulimit -v "$limit"; fi; }
pass=0
fail=0
known=""
for src in examples/violations/*.sop; do
    exp="${src%.sop}.out"
    # A regression that loops or eats memory must fail the test, not the machine.
    got=$( (cap; timeout 60 ${RUN:-} "$RD" check "$src") 2>&1; echo "exit: $?")
    if grep -q '^# KNOWN ' "$src"; then known="$known $(basename "$src" .sop)"; fi
    if [ "${UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$got" >"$exp"
        pass=$((pass + 1))
    elif [ -f "$exp" ] && [ "$got" = "$(cat "$exp")" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $src"
        printf '%s\n' "$got" | diff -u "$exp" - | head -40
    fi
done
[ -n "$known" ] && echo "known-wrong goldens (verifier bugs, see each file's header):$known"
echo "violations: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
