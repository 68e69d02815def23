#!/bin/sh
# Crash-safe cases: `rightdoor case` is killed (SIGKILL) at random moments while it reads, changes
# and saves a case, ITER times (default 200). After every kill the case file must be exactly the
# old version or exactly the new one, never torn, and must still load.
set -u
cd "$(dirname "$0")/.."
RD=${RIGHTDOOR:-./rightdoor}
ITER=${ITER:-200}
sop=examples/annex1a/annex1a.sop
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp examples/annex1a/cases/c-0001.yaml "$tmp/old.yaml"
change="--set emergency=true --informed right_to_refuse"
cp "$tmp/old.yaml" "$tmp/new.yaml"
# shellcheck disable=SC2086
if ! "$RD" case "$sop" "$tmp/new.yaml" $change --now 2026-11-25T10:00:00Z >/dev/null 2>&1 || cmp -s "$tmp/old.yaml" "$tmp/new.yaml"; then
    echo "crash-save: the change itself failed"
    exit 1
fi
old=0 new=0 bad=0 i=0
while [ "$i" -lt "$ITER" ]; do
    i=$((i + 1))
    cp "$tmp/old.yaml" "$tmp/case.yaml"
    # shellcheck disable=SC2086
    "$RD" case "$sop" "$tmp/case.yaml" $change --now 2026-11-25T10:00:00Z >/dev/null 2>&1 &
    pid=$!
    # 0 to about 6 ms: a whole run takes about 3 ms, so kills land before, during and after the save
    sleep "0.00$((i % 7))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if cmp -s "$tmp/case.yaml" "$tmp/old.yaml"; then old=$((old + 1))
    elif cmp -s "$tmp/case.yaml" "$tmp/new.yaml"; then new=$((new + 1))
    else
        bad=$((bad + 1))
        echo "FAIL crash-save: after a kill the case is neither the old nor the new version (run $i)"
    fi
    "$RD" next "$sop" "$tmp/case.yaml" >/dev/null 2>&1 || { bad=$((bad + 1)); echo "FAIL crash-save: the case no longer loads (run $i)"; }
done
echo "crash-save: $ITER kills, $old left the old case, $new the new one, $bad torn"
[ "$bad" -eq 0 ]
