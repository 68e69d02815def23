#!/bin/sh
# The verifier against SPIN: COUNT generated SOPs (tests/spin/gen_sop.c) from a fixed SEED, each
# checked by `rightdoor check` and by SPIN on the model `rightdoor graph --format promela` writes;
# for the principles both decide (`never ... reaches` and `every report requires notice`) the
# verdicts must be the same on every SOP. Sizes cycle through 3..14 steps and 2..8 facts. Prints
# how many SOPs break each principle and how many pass everything; fails on any disagreement.
#   SPIN_COUNT (default 300), SPIN_SEED (default 20240501), SPIN_JOBS (default 2)
set -u
cd "$(dirname "$0")/../.."
COUNT=${SPIN_COUNT:-300}
SEED=${SPIN_SEED:-20240501}
JOBS=${SPIN_JOBS:-2}
export RIGHTDOOR=${RIGHTDOOR:-./rightdoor}
# Under the sanitizers, a report must not pass for exit status 1 (a principle fails).
export ASAN_OPTIONS="exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="exitcode=87:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export GEN=${GEN:-build/tests/gen_sop}
if ! command -v spin > /dev/null; then
    echo "tests/spin: SPIN is not installed (Debian package \`spin\`; make deps installs it)" >&2
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rd-spin.XXXXXX")
i=0
while [ "$i" -lt "$COUNT" ]; do
    echo "$((SEED + i)) $((3 + i % 12)) $((2 + i % 7))"
    i=$((i + 1))
done | xargs -P "$JOBS" -n 3 sh -c 'sh tests/spin/one.sh "$1" "$2" "$3" "$0"' "$work" > "$work/results.txt"
status=$?
total=$(grep -c "steps" "$work/results.txt")
fails() { grep -c "$1 rightdoor F spin F" "$work/results.txt"; }
pass=$(grep -v "rightdoor F" "$work/results.txt" | grep -c "steps")
echo "tests/spin: seed $SEED, $total of $COUNT SOPs compared: firewall fails in $(fails 'firewall'), firewall2 in $(fails 'firewall2'), told_first in $(fails 'told_first'); $pass pass all three"
if [ "$status" -ne 0 ] || grep -qv "steps.*firewall" "$work/results.txt" || grep -q DISAGREE "$work/results.txt" || [ "$total" -ne "$COUNT" ]; then
    grep -v "^[0-9]* (" "$work/results.txt" | head -20
    grep DISAGREE "$work/results.txt" | head -20
    echo "tests/spin: FAILED; the files of each SOP named are kept in $work" >&2
    exit 1
fi
rm -rf "$work"
