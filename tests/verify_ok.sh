#!/bin/sh
# Verifier traps that must verify CLEAN: each tests/verify/ok/NAME.sop is a program a wrong
# verifier would reject (path-sensitivity on facts and consents, unknown facts, derived and int
# facts, consents on every path through joins, permits, `unless`, notices before disclosure,
# refusals that still reach a specialist, follow-up loops). `rightdoor check` must exit 0 and
# print no error and no warning (notes, such as listed waivers, are allowed). Each run is capped
# in memory and time (tests/lib.sh: RD_ULIMIT_KB=0 for AddressSanitizer builds).
#
# Files whose header says "EXPECTED TO FAIL" document a known false positive of the verifier;
# they still count as failures until it is fixed.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
check_clean tests/verify/ok/*.sop
finish verify-ok
