#!/bin/sh
# The commands that change a case file, on copies of a fictional case
# (examples/annex1a/cases/c-0001.yaml): `rightdoor case` records a notice, a referral and the use of
# a permit (break-glass), refuses what the SOP does not have or allow, and saves without leaving a
# temporary file; `rightdoor run`, the training walk-through, saves what the worker answered.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

sop=examples/annex1a/annex1a.sop
cp examples/annex1a/cases/c-0001.yaml "$tmp/case.yaml"
expect_exit 0 "case: record a notice" "$RD" case "$sop" "$tmp/case.yaml" --informed right_to_refuse --now 2024-05-01T10:05:00Z
if grep -q "inform: right_to_refuse" "$tmp/case.yaml" && [ -z "$(ls "$tmp" | grep -e '\.tmp\.' -e '\.rightdoor-save\.')" ]; then ok; else bad "case: saved, no temporary file left"; fi
expect_exit 1 "case: an unknown fact" "$RD" case "$sop" "$tmp/case.yaml" --set no_such_fact=true
expect_exit 2 "case: no change asked" "$RD" case "$sop" "$tmp/case.yaml"

# A referral records the service it was for, and survives saving and loading.
cp examples/annex1a/cases/c-0001.yaml "$tmp/refer.yaml"
if ${RUN:-} "$RD" case "$sop" "$tmp/refer.yaml" --referred district_hospital:urgent_care >/dev/null 2>&1 &&
    grep -q "refer: district_hospital, for: urgent_care" "$tmp/refer.yaml" &&
    ${RUN:-} "$RD" next "$sop" "$tmp/refer.yaml" >/dev/null 2>&1; then ok; else bad "referred ACTOR:SERVICE"; fi
expect_exit 1 "a referral for a service the SOP does not have" "$RD" case "$sop" "$tmp/refer.yaml" --referred district_hospital:no_such_service

# Break-glass from the command line: a permit is used for one flow it covers, with a reason, and
# only while its condition holds; telling her afterwards is then due.
cp examples/annex1a/cases/c-0001.yaml "$tmp/glass.yaml"
expect_exit 1 "a permit used while its condition does not hold" "$RD" case "$sop" "$tmp/glass.yaml" --set emergency=false \
    --permit life_threat_police:location:district_police --reason "test"
expect_exit 1 "a permit used for a flow it does not cover" "$RD" case "$sop" "$tmp/glass.yaml" --set emergency=true \
    --permit life_threat_police:incident_details:district_police --reason "test"
expect_exit 1 "a permit used without a reason" "$RD" case "$sop" "$tmp/glass.yaml" --set emergency=true \
    --permit life_threat_police:location:district_police
if ${RUN:-} "$RD" case "$sop" "$tmp/glass.yaml" --set emergency=true --permit life_threat_police:location:district_police \
    --reason "he is at the door with a knife" >/dev/null 2>&1 &&
    grep -q "permit: life_threat_police, data: location, with: district_police" "$tmp/glass.yaml" &&
    ${RUN:-} "$RD" next "$sop" "$tmp/glass.yaml" 2>&1 | grep -q "\`location\` was sent to \`district_police\`"; then ok; else bad "permit: one flow, told afterwards"; fi

# run: a training walk-through fed from a pipe records what the worker answered and saves it.
cp examples/annex1a/cases/c-0001.yaml "$tmp/run.yaml"
if printf 'y\ny\nfalse\nq\n' | ${RUN:-} "$RD" run "$sop" "$tmp/run.yaml" >/dev/null 2>&1 &&
    grep -q "inform: services_regardless_of_status" "$tmp/run.yaml" && grep -q "emergency: false" "$tmp/run.yaml"; then ok; else bad "run"; fi

finish case-cli
