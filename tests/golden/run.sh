#!/bin/sh
# Golden tests: each tests/golden/bad/NAME.sop is a program with a mistake a committee member could
# make; NAME.out holds exactly what `rightdoor check` prints for it (stdout and stderr) followed by
# its exit status. Run with UPDATE=1 to rewrite the .out files, then review the diff by reading it.
set -u
cd "$(dirname "$0")/../.."
RD=${RIGHTDOOR:-./rightdoor}
pass=0
fail=0
for src in tests/golden/bad/*.sop; do
    exp="${src%.sop}.out"
    # A regression that loops or eats memory must fail the test, not the machine. (AddressSanitizer
    # reserves terabytes of address space for its shadow memory, so its build gets no -v cap.)
    got=$( (case "$RD" in *asan*) ;; *) ulimit -v 4000000 ;; esac; timeout 60 ${RUN:-} "$RD" check "$src") 2>&1; echo "exit: $?")
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
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
