#!/bin/sh
# Out-of-memory sweep: runs `rightdoor check [ARGS] FILE` (or the command in CMD) once per allocation, failing that one
# allocation (fuzz/failmalloc.c, LD_PRELOAD), then again failing it and every later one. Each run
# must end with exit 0, 1, 2 or 3 (3: out of memory), and an out-of-memory must never turn the
# file's verdict into "ok": a run that exits 0 when the file's own verdict is not 0 is reported as
# a hidden error. Nor may it be reported as the verifier's state budget, unless the file's own run
# says that too. Prints one line per bad run, then a summary; exit status 1 when any run was bad.
#   sh fuzz/oom_sweep.sh examples/violations/firewall_chain.sop
#   RIGHTDOOR=build/rightdoor ARGS="--format json" STEP=5 sh fuzz/oom_sweep.sh FILE
set -u
cd "$(dirname "$0")/.."
f=$1
RD=${RIGHTDOOR:-./rightdoor}
STEP=${STEP:-1}
mkdir -p build-fuzz
lib=build-fuzz/failmalloc.so
if [ ! -f "$lib" ] || [ fuzz/failmalloc.c -nt "$lib" ]; then
    cc -O1 -shared -fPIC -o "$lib" fuzz/failmalloc.c -ldl || exit 2
fi
lib=$(pwd)/$lib
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086
"$RD" ${CMD:-check} ${ARGS:-} "$f" >"$out" 2>&1
verdict=$?
budget=0
grep -q "state budget" "$out" && budget=1
# shellcheck disable=SC2086
total=$(RD_FAIL_COUNT=1 LD_PRELOAD=$lib "$RD" ${CMD:-check} ${ARGS:-} "$f" 2>&1 >/dev/null | sed -n 's/^allocs: //p')
bad=0
runs=0
for mode in once sticky; do
    n=1
    while [ "$n" -le "${total:-0}" ]; do
        s=; [ $mode = sticky ] && s=1
        # shellcheck disable=SC2086
        RD_FAIL_STICKY=$s RD_FAIL_AT=$n LD_PRELOAD=$lib timeout 30 "$RD" ${CMD:-check} ${ARGS:-} "$f" >"$out" 2>&1
        st=$?
        runs=$((runs + 1))
        case $st in
        0) if [ "$verdict" -ne 0 ]; then echo "hidden error: allocation $n ($mode) failed, exit 0, verdict $verdict"; bad=$((bad + 1)); fi ;;
        1) if [ $budget -eq 0 ] && grep -q "state budget" "$out"; then
               echo "budget: allocation $n ($mode) failed, reported as the state budget"
               bad=$((bad + 1))
           fi ;;
        2 | 3) ;;
        *) echo "crash: allocation $n ($mode) failed, exit $st"; bad=$((bad + 1)) ;;
        esac
        n=$((n + STEP))
    done
done
echo "oom-sweep: $f: verdict $verdict, ${total:-?} allocations, $runs runs, $bad bad"
echo "  replay: RD_FAIL_AT=N [RD_FAIL_STICKY=1] LD_PRELOAD=$lib $RD ${CMD:-check} ${ARGS:+$ARGS }$f"
[ "$bad" -eq 0 ]
