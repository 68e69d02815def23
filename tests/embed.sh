#!/bin/sh
# The embedding example (examples/embed/embed.c), built as an app builds it, against the public
# header and the library (EMBED, default build/examples/embed): on a fictional case it refuses what
# the SOP forbids, names the rule, and saves what was done (the notice given) to the case.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

EMBED=${EMBED:-build/examples/embed}
sop=examples/annex1a/annex1a.sop
cp examples/annex1a/cases/c-0001.yaml "$tmp/embed.yaml"
out=$(${RUN:-} "$EMBED" "$sop" "$tmp/embed.yaml" vaw_centre location district_police 2>&1)
st=$?
if [ "$st" -eq 1 ] && printf '%s\n' "$out" | grep -q "REFUSED: denied: her answer to \`police_referral\`" &&
    printf '%s\n' "$out" | grep -q "rule: consent \`police_referral\`, $sop:" &&
    grep -q "inform: right_to_refuse" "$tmp/embed.yaml" && "$RD" next "$sop" "$tmp/embed.yaml" >/dev/null 2>&1; then ok; else bad "embed: exit $st"; printf '%s\n' "$out" | tail -5; fi

finish embed
