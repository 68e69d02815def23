#!/bin/sh
# Golden tests: each tests/golden/bad/NAME.sop is a program with a mistake a committee member could
# make; NAME.out holds exactly what `rightdoor check` prints for it (stdout and stderr) followed by
# its exit status. Run with UPDATE=1 to rewrite the .out files, then review the diff by reading it.
# Each run is capped in memory and time (tests/lib.sh: RD_ULIMIT_KB=0 for AddressSanitizer builds).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
check_golden tests/golden/bad/*.sop
finish golden
