#!/bin/sh
# Violation tests: each examples/violations/NAME.sop is a plausible committee draft that breaks one
# principle (its header says which, the seed passage it offends, and the fix); NAME.out holds
# exactly what `rightdoor check` prints for it (stdout and stderr) followed by its exit status.
# Run with UPDATE=1 to rewrite the .out files, then review the diff by reading it. Each run is
# capped in memory and time (tests/lib.sh: RD_ULIMIT_KB=0 for AddressSanitizer builds).
#
# Files whose header says "KNOWN VERIFIER GAP" or "KNOWN MISLEADING PATH" document a verifier
# bug: their .out is what the verifier prints TODAY, not what it should print (the header says
# what it should print). They are listed at the end; when the bug is fixed, regenerate the .out
# and drop the header note.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
check_golden examples/violations/*.sop
known=$(grep -l '^# KNOWN ' examples/violations/*.sop | sed 's|.*/||; s|\.sop$||' | tr '\n' ' ')
[ -n "$known" ] && echo "known-wrong goldens (verifier bugs, see each file's header): ${known% }"
finish violations
