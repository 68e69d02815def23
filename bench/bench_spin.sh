#!/bin/sh
# The verifier against SPIN on the same work: generated SOPs of growing size (tests/spin/gen_sop,
# `safe` mode: every principle holds, so both must explore everything to prove them; 16 facts,
# pathways of 100 steps), each proved by `rightdoor check` (the whole process: read, check, build
# the graph, prove every principle; best of 3) and by SPIN on the model `rightdoor graph --format
# promela` writes (spin -a, cc -O2 -DSAFETY -DCOLLAPSE, then pan -N all_principles: all three
# principles in one search). Verdicts must be equal wherever SPIN finishes. Prints a Markdown table.
#
#   sh bench/bench_spin.sh [SIZES...]        default: 5 10 20 50 200 500 1000 2000
#
# SPIN's limits: SPIN_MEM MiB of memory (pan's -DMEMLIM, default 2048), SPIN_TIME seconds for each
# of spin -a, cc and the pan run (default 300), search depth 1,000,000 (-m). BITSTATE (incomplete)
# is never used. Where SPIN stops at a limit, the table says which, with what it had done by then;
# the ratio is then a lower bound (">").
set -u
cd "$(dirname "$0")/.."
SEED=${SEED:-7}
SPIN_MEM=${SPIN_MEM:-2048}
SPIN_TIME=${SPIN_TIME:-300}
SIZES=${*:-5 10 20 50 200 500 1000 2000}
make -s rightdoor build/tests/gen_sop >/dev/null || exit 2
command -v spin >/dev/null || { echo "bench_spin: SPIN is not installed (Debian package spin)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rd-bench-spin.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
show() { # seconds -> "12 ms" / "3.4 s"
    awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.1f s", s }'
}

echo "SOPs: tests/spin/gen_sop $SEED STEPS 16 100 safe; SPIN $(spin -V | sed 's/Spin Version //; s/ --.*//'), pan limits: ${SPIN_MEM} MiB, ${SPIN_TIME} s, depth 1000000"
echo
echo "| steps | graph nodes | Rightdoor check | SPIN total (spin -a + cc + pan) | pan alone | states stored by SPIN | SPIN memory | SPIN total / Rightdoor | verdicts |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $SIZES; do
    d="$work/$n"
    mkdir -p "$d"
    build/tests/gen_sop "$SEED" "$n" 16 100 safe > "$d/gen.sop"
    best=""
    for r in 1 2 3; do
        t0=$(now)
        ./rightdoor check "$d/gen.sop" > /dev/null 2> "$d/check.err"
        rc=$?
        t=$(secs "$t0" "$(now)")
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    rd_verdict=$([ $rc = 0 ] && echo holds || echo fails)
    nodes=$(./rightdoor graph --format json "$d/gen.sop" | grep -c '"id":')
    ./rightdoor graph --format promela -o "$d/model.pml" "$d/gen.sop"
    t0=$(now)
    ( cd "$d" && timeout "$SPIN_TIME" spin -a model.pml > spin.out 2>&1 &&
      timeout "$SPIN_TIME" cc -O2 -DSAFETY -DCOLLAPSE -DMEMLIM="$SPIN_MEM" -o pan pan.c 2> cc.out )
    brc=$?
    t_build=$(secs "$t0" "$(now)")
    if [ $brc != 0 ]; then
        echo "| $n | $nodes | $(show "$best") | $(show "$t_build") (spin -a or cc stopped: exit $brc, limit ${SPIN_TIME} s) | | | | >$(awk -v a="$t_build" -v b="$best" 'BEGIN { printf "%.0f", a / b }')x | Rightdoor: $rd_verdict; SPIN: none |"
        continue
    fi
    t0=$(now)
    ( cd "$d" && timeout "$SPIN_TIME" ./pan -m1000000 -N all_principles > pan.out 2>&1 )
    prc=$?
    t_pan=$(secs "$t0" "$(now)")
    states=$(awk '/states, stored/ { print $1 }' "$d/pan.out")
    mem=$(awk '/total actual memory usage/ { printf "%.0f MiB", $1 }' "$d/pan.out")
    total=$(awk -v a="$t_build" -v b="$t_pan" 'BEGIN { printf "%.3f", a + b }')
    if [ $prc = 124 ]; then
        sv="out of time (${SPIN_TIME} s)"; ratio=">"
    elif grep -q "reached -DMEMLIM bound" "$d/pan.out"; then
        sv="out of memory (${SPIN_MEM} MiB)"; ratio=">"
    elif grep -q "max search depth too small" "$d/pan.out"; then
        sv="depth limit"; ratio=">"
    elif grep -q "errors: 0" "$d/pan.out"; then
        sv=holds; ratio=""
    elif grep -q "errors: 1" "$d/pan.out"; then
        sv=fails; ratio=""
    else
        sv="no verdict"; ratio=">"
    fi
    r=$(awk -v a="$total" -v b="$best" 'BEGIN { printf "%.0f", a / b }')
    if [ -z "$ratio" ] && [ "$sv" != "$rd_verdict" ]; then verdicts="DIFFER: Rightdoor $rd_verdict, SPIN $sv"
    elif [ -z "$ratio" ]; then verdicts="both: $sv"
    else verdicts="Rightdoor: $rd_verdict; SPIN: $sv"; fi
    echo "| $n | $nodes | $(show "$best") | $(show "$total") | $(show "$t_pan") | ${states:-?} | ${mem:-?} | $ratio${r}x | $verdicts |"
done
