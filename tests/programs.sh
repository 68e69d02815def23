#!/bin/sh
# Every program the project ships (stdlib/, rules/, examples/) checks with no error and no warning,
# and the command line keeps its documented exit codes.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

for f in $(find stdlib rules examples -name '*.sop' ! -path 'examples/violations/*' ! -name 'before.sop' | sort); do
    out=$(${RUN:-} "$RD" check "$f" 2>&1)
    # Notes (the waivers an SOP declares) are listed; errors and warnings are not allowed.
    if [ $? -eq 0 ] && [ "$(printf '%s\n' "$out" | tail -n 1)" = "$f: ok (0 warnings)" ] &&
        ! printf '%s\n' "$out" | grep -qE '^[^ ]+: (error|warning)'; then ok; else bad "$f"; printf '%s\n' "$out" | head -20; fi
done

# The migrant domestic worker draft (before.sop) carries the mistakes its README walks through;
# each one must still be caught, by the principle the README names.
before=examples/migrant_domestic_worker/before.sop
got=$(${RUN:-} "$RD" check "$before" 2>&1 | grep -oE '^[^ ]+: error\[[a-z_]+\]' | sed 's/.*error\[//; s/\]//' | sort -u | tr '\n' ' ')
want="consent_before_sharing interpreter_independent no_migration_status_record notice_before_report police_only_with_consent refusal_keeps_health_care refusal_keeps_services refusal_keeps_shelter status_only_to_legal_aid "
if [ "$got" = "$want" ]; then ok; else bad "$before: caught [$got], wanted [$want]"; fi

expect_exit() { # expected-status description command...
    want=$1; what=$2; shift 2
    ${RUN:-} "$@" >/dev/null 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; fi
}
printf 'sector a "A"\nactor b "B" { sector c }\n' >"$tmp/bad.sop"
expect_exit 1 "a program with errors" "$RD" check "$tmp/bad.sop"
expect_exit 2 "a missing file" "$RD" check "$tmp/no-such-file.sop"
expect_exit 2 "a folder given as a file" "$RD" check "$tmp"
expect_exit 2 "no command" "$RD"
expect_exit 2 "an unknown command" "$RD" frobnicate "$tmp/bad.sop"
expect_exit 2 "an unknown option" "$RD" check --frob "$tmp/bad.sop"
expect_exit 0 "help" "$RD" --help
: >"$tmp/empty.sop"
expect_exit 0 "an empty file" "$RD" check "$tmp/empty.sop"

# The runtime commands on a fictional case (examples/annex1a/cases/c-0001.yaml).
sop=examples/annex1a/annex1a.sop
cp examples/annex1a/cases/c-0001.yaml "$tmp/case.yaml"
out=$(${RUN:-} "$RD" next "$sop" "$tmp/case.yaml" --format json 2>&1)
if printf '%s' "$out" | grep -q '"actions"' && printf '%s' "$out" | grep -q '"kind": "inform"'; then ok; else bad "next --format json"; fi
out=$(${RUN:-} "$RD" may-share "$sop" "$tmp/case.yaml" survivor_name vaw_centre district_police --format json 2>&1)
if printf '%s' "$out" | grep -q '"decision": "deny"' && printf '%s' "$out" | grep -q '"rule": "police_referral"'; then ok; else bad "may-share refused consent"; fi
expect_exit 0 "case: record a notice" "$RD" case "$sop" "$tmp/case.yaml" --informed right_to_refuse --now 2024-05-01T10:05:00Z
if grep -q "inform: right_to_refuse" "$tmp/case.yaml" && [ -z "$(ls "$tmp" | grep '\.tmp\.')" ]; then ok; else bad "case: saved, no temporary file left"; fi
expect_exit 1 "case: an unknown fact" "$RD" case "$sop" "$tmp/case.yaml" --set no_such_fact=true
expect_exit 2 "case: no change asked" "$RD" case "$sop" "$tmp/case.yaml"
expect_exit 2 "next: missing case file" "$RD" next "$sop" "$tmp/none.yaml"
out=$(${RUN:-} "$RD" explain "$sop" "$tmp/case.yaml" 2>&1)
if printf '%s' "$out" | grep -q "she was told \`right_to_refuse\`" && printf '%s' "$out" | grep -q "^now:"; then ok; else bad "explain"; fi
${RUN:-} "$RD" may-share "$sop" "$tmp/case.yaml" survivor_name vaw_centre district_police --decision-log "$tmp/log.jsonl" >/dev/null 2>&1
${RUN:-} "$RD" next "$sop" "$tmp/case.yaml" --decision-log "$tmp/log.jsonl" >/dev/null 2>&1
if [ "$(wc -l <"$tmp/log.jsonl")" -eq 2 ] && grep -q '"sop_hash"' "$tmp/log.jsonl" && grep -q '"rule":"police_referral"' "$tmp/log.jsonl"; then ok; else bad "decision log"; fi

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

# The embedding example, built against the public header: it refuses what the SOP forbids, names
# the rule, and saves what was done (the notice given) to the case.
EMBED=${EMBED:-build/examples/embed}
cp examples/annex1a/cases/c-0001.yaml "$tmp/embed.yaml"
out=$(${RUN:-} "$EMBED" "$sop" "$tmp/embed.yaml" vaw_centre location district_police 2>&1)
st=$?
if [ "$st" -eq 1 ] && printf '%s\n' "$out" | grep -q "REFUSED: denied: her answer to \`police_referral\`" &&
    printf '%s\n' "$out" | grep -q "rule: consent \`police_referral\`, $sop:" &&
    grep -q "inform: right_to_refuse" "$tmp/embed.yaml" && "$RD" next "$sop" "$tmp/embed.yaml" >/dev/null 2>&1; then ok; else bad "embed: exit $st"; printf '%s\n' "$out" | tail -5; fi

# ---- The fictional cases every example ships (examples/*/cases/, issue 8) ---------------------
# Each is a typical situation a worker there meets (told at the top of the file). `next` must
# exit 0 and list what she must do now; `may-share` answers one question that matters there, with
# the rule that decides. Times are fixed (--now) so that opening hours and consents that expire
# or were withdrawn give the same answer on every run.
checked=""
next_says() { # what sop case now [+pattern | -pattern]...: + must be printed, - must not
    what=$1; n_sop=$2; n_case=$3; n_now=$4; shift 4
    checked="$checked $n_case"
    out=$(${RUN:-} "$RD" next "$n_sop" "$n_case" --now "$n_now" 2>&1)
    st=$?
    wrong=""
    for p in "$@"; do
        pat=${p#?}
        case $p in
        +*) printf '%s\n' "$out" | grep -qF -- "$pat" || wrong="$wrong missing [$pat]" ;;
        -*) printf '%s\n' "$out" | grep -qF -- "$pat" && wrong="$wrong unwanted [$pat]" ;;
        esac
    done
    if [ "$st" -eq 0 ] && [ -z "$wrong" ]; then ok; else bad "$what: next exit $st,$wrong"; printf '%s\n' "$out" | head -8; fi
}
share_says() { # what sop case now data from to decision rule
    out=$(${RUN:-} "$RD" may-share "$2" "$3" "$5" "$6" "$7" --now "$4" --format json 2>&1)
    if printf '%s' "$out" | grep -q "\"decision\": \"$8\"" && printf '%s' "$out" | grep -q "\"rule\": \"$9\""; then ok
    else bad "$1: may-share, wanted $8 by $9"; printf '%s\n' "$out" | head -4; fi
}

cs_sop=examples/annex1a/annex1a.sop; cs_dir=examples/annex1a/cases
next_says "annex1a c-0001: refused the police, the notices come first, in Burmese" $cs_sop $cs_dir/c-0001.yaml 2024-05-01T10:05:00Z \
    +"inform right_to_refuse" +"ငြင်းဆိုနိုင်" -"refer district_police"
next_says "annex1a c-0002: treated for injuries, the example report is due and she was told" $cs_sop $cs_dir/c-0002.yaml 2024-05-04T02:00:00Z \
    +"report injury_report" +"district_hospital reports to district_police" -"BREACHED" +"ask crime_committed"
next_says "annex1a c-0003: legal referral withdrawn, wages and going home go on" $cs_sop $cs_dir/c-0003.yaml 2024-05-07T03:00:00Z \
    +"refer migrant_centre for wage_recovery" +"refer migrant_centre for repatriation" -"legal_aid_cso"
share_says "annex1a c-0003: after she withdrew" $cs_sop $cs_dir/c-0003.yaml 2024-05-07T03:00:00Z incident_details vaw_centre legal_aid_cso deny legal_referral
share_says "annex1a c-0003: before she withdrew" $cs_sop $cs_dir/c-0003.yaml 2024-05-06T05:00:00Z incident_details vaw_centre legal_aid_cso allow legal_referral

cs_sop=examples/annex1b/annex1b.sop; cs_dir=examples/annex1b/cases
next_says "annex1b ab-0001: forensic exam at the Burmese-speaking hospital" $cs_sop $cs_dir/ab-0001.yaml 2024-05-17T12:00:00Z \
    +"refer hospital_b for forensic_exam" +"[my kar en th]"
next_says "annex1b ab-0002: case conference next" $cs_sop $cs_dir/ab-0002.yaml 2024-05-20T07:00:00Z \
    +"share survivor_name, incident_type, referrals_made with"
share_says "annex1b ab-0002: a member she left out" $cs_sop $cs_dir/ab-0002.yaml 2024-05-20T07:00:00Z incident_type hospital_b cso_b deny case_conference_consent
share_says "annex1b ab-0002: a member she named" $cs_sop $cs_dir/ab-0002.yaml 2024-05-20T07:00:00Z incident_type hospital_b shelter_b allow case_conference_consent

cs_sop=examples/cambodia_district/cambodia_district.sop; cs_dir=examples/cambodia_district/cases
next_says "cambodia kh-0001: a returnee's wage claim, in Khmer, open now" $cs_sop $cs_dir/kh-0001.yaml 2024-05-13T03:00:00Z \
    +"refer mrc for wage_recovery" +"(open now)" +"[km]" -"commune_council"
next_says "cambodia kh-0002: case review withdrawn, follow-up next" $cs_sop $cs_dir/kh-0002.yaml 2024-05-16T04:00:00Z \
    +"choose follow_up" -"commune_council"
next_says "cambodia kh-0002: before she withdrew, the case review share was due" $cs_sop $cs_dir/kh-0002.yaml 2024-05-15T04:00:00Z \
    +"commune_council, ngo_centre, ngo_legal"
share_says "cambodia kh-0001: nothing to the commune" $cs_sop $cs_dir/kh-0001.yaml 2024-05-13T03:00:00Z incident_type district_hospital commune_council deny default
share_says "cambodia kh-0002: case review withdrawn" $cs_sop $cs_dir/kh-0002.yaml 2024-05-16T04:00:00Z incident_type ngo_centre commune_council deny case_review_consent

cs_sop=examples/mae_sot/mae_sot.sop; cs_dir=examples/mae_sot/cases
next_says "mae_sot mst-0001: refused the police, the Burmese-speaking CSO next" $cs_sop $cs_dir/mst-0001.yaml 2024-05-01T10:15:00Z \
    +"refer migrant_women_cso for psychosocial_support" +"[my kar th en]" -"mae_sot_police"
next_says "mae_sot mst-0002: brought by the police, the DV Act report is due and she was told" $cs_sop $cs_dir/mst-0002.yaml 2024-05-02T15:00:00Z \
    +"report dv_report" +"mae_sot_hospital reports to mae_sot_police" -"BREACHED"
next_says "mae_sot mst-0003: case conference within her time limit" $cs_sop $cs_dir/mst-0003.yaml 2024-05-10T03:00:00Z \
    +"share survivor_name, incident_type, referrals_made with tak_osc"
next_says "mae_sot mst-0003: after her time limit, nothing is shared" $cs_sop $cs_dir/mst-0003.yaml 2024-06-05T03:00:00Z \
    +"choose follow_up" -"share survivor_name"
share_says "mae_sot mst-0001: the firewall" $cs_sop $cs_dir/mst-0001.yaml 2024-05-01T10:15:00Z migration_status mae_sot_hospital tak_immigration deny firewall
share_says "mae_sot mst-0001: she refused the police" $cs_sop $cs_dir/mst-0001.yaml 2024-05-01T10:15:00Z survivor_name mae_sot_hospital mae_sot_police deny police_protection_referral
share_says "mae_sot mst-0003: after her time limit" $cs_sop $cs_dir/mst-0003.yaml 2024-06-05T03:00:00Z survivor_name tak_osc mae_sot_hospital deny case_conference_consent

cs_sop=examples/migrant_domestic_worker/migrant_domestic_worker.sop; cs_dir=examples/migrant_domestic_worker/cases
next_says "mdw-0001: permit used in the emergency, she must be told afterwards, in Burmese" $cs_sop $cs_dir/mdw-0001.yaml 2024-05-03T16:00:00Z \
    +"inform emergency_call_made" +"ရဲကို ဖုန်းဆက်" +"tell_after emergency_location" +"\`location\` was sent to \`city_police\`"
next_says "mdw-0002: refused the police, the shelter next" $cs_sop $cs_dir/mdw-0002.yaml 2024-05-05T06:00:00Z \
    +"refer mdw_shelter for safe_shelter" +"(location confidential)" -"city_police"
next_says "mdw-0003: the consulate, with her narrowed consent" $cs_sop $cs_dir/mdw-0003.yaml 2024-05-08T04:00:00Z \
    +"refer her_consulate for consular_assistance" +"DO NOT SEND \`contact_details\` to \`her_consulate\`" -"DO NOT SEND \`survivor_name\`"
share_says "mdw-0002: she refused the police" $cs_sop $cs_dir/mdw-0002.yaml 2024-05-05T06:00:00Z survivor_name helpline_ngo city_police deny police_referral
share_says "mdw-0003: her contact details are excepted" $cs_sop $cs_dir/mdw-0003.yaml 2024-05-08T04:00:00Z contact_details mdw_shelter her_consulate deny consulate_contact
share_says "mdw-0003: her name may go" $cs_sop $cs_dir/mdw-0003.yaml 2024-05-08T04:00:00Z survivor_name mdw_shelter her_consulate allow consulate_contact
share_says "mdw-0003: the firewall" $cs_sop $cs_dir/mdw-0003.yaml 2024-05-08T04:00:00Z migration_status legal_aid_clinic immigration_office deny status_never_to_enforcement_or_employer

cs_sop=examples/philippines_barangay/philippines_barangay.sop; cs_dir=examples/philippines_barangay/cases
next_says "philippines ph-0001: trafficking referral first" $cs_sop $cs_dir/ph-0001.yaml 2024-05-15T02:00:00Z \
    +"refer anti_trafficking_committee for trafficking_assistance" +"[fil en]"
next_says "philippines ph-0002: committee report next" $cs_sop $cs_dir/ph-0002.yaml 2024-05-16T04:00:00Z \
    +"with anti_vaw_committee" -"choose follow_up"
share_says "philippines ph-0002: referrals excepted" $cs_sop $cs_dir/ph-0002.yaml 2024-05-16T04:00:00Z referrals_made vaw_desk_officer anti_vaw_committee deny committee_report_consent
share_says "philippines ph-0002: counted without her name" $cs_sop $cs_dir/ph-0002.yaml 2024-05-16T04:00:00Z incident_type vaw_desk_officer anti_vaw_committee allow committee_report_consent
share_says "philippines ph-0002: never her name to the committee" $cs_sop $cs_dir/ph-0002.yaml 2024-05-16T04:00:00Z survivor_name vaw_desk_officer anti_vaw_committee deny default

cs_sop=examples/viet_nam_consular/viet_nam_consular.sop; cs_dir=examples/viet_nam_consular/cases
next_says "viet_nam vn-0001: family contact refused, follow-up next" $cs_sop $cs_dir/vn-0001.yaml 2024-05-10T05:00:00Z \
    +"choose follow_up" -"her_family"
next_says "viet_nam vn-0002: legal aid at home next" $cs_sop $cs_dir/vn-0002.yaml 2024-05-10T05:00:00Z \
    +"refer vn_legal_aid for legal_aid_service" +"[vi]" -"refer vwu_home"
share_says "viet_nam vn-0001: her family at home" $cs_sop $cs_dir/vn-0001.yaml 2024-05-10T05:00:00Z survivor_name consulate her_family deny family_contact_consent
share_says "viet_nam vn-0002: what happened is excepted" $cs_sop $cs_dir/vn-0002.yaml 2024-05-10T05:00:00Z incident_type consulate vn_legal_aid deny vn_legal_aid_referral

# every case file shipped is checked above
for f in examples/*/cases/*.yaml; do
    case " $checked " in *" $f "*) ok ;; *) bad "$f: no check in tests/programs.sh" ;; esac
done

# Privacy: a marker planted in a case never appears in what any command prints, on any error path.
for planted in "facts: { violence: SECRETMARKER }" "facts: { safe_now: SECRETMARKER }" \
               "consents: { police_referral: SECRETMARKER }" "events: [ { inform: SECRETMARKER } ]" \
               "case: SECRETMARKER
facts: { violence: nonsense }" "facts: { violence: \"SECRETMARKER"; do
    printf 'opened_by: vaw_centre\n%s\n' "$planted" >"$tmp/leak.yaml"
    leaked=""
    for cmd in "next" "explain" "may-share" "case" "run"; do
        case $cmd in
        may-share) more="survivor_name vaw_centre district_police" ;;
        case) more="--set safe_now=true" ;;
        *) more="" ;;
        esac
        # shellcheck disable=SC2086
        if printf 'q\n' | ${RUN:-} "$RD" $cmd "$sop" "$tmp/leak.yaml" $more 2>&1 | grep -q SECRETMARKER; then leaked="$cmd"; fi
        if printf 'q\n' | ${RUN:-} "$RD" $cmd "$sop" "$tmp/leak.yaml" $more --format json 2>&1 | grep -q SECRETMARKER; then leaked="$cmd --format json"; fi
    done 2>/dev/null
    if [ -z "$leaked" ]; then ok; else bad "privacy: $leaked printed a planted value"; fi
done

finish "programs"
