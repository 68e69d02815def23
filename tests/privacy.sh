#!/bin/sh
# Privacy: a value planted in a case file (SECRETMARKER), in any of its keys and values, never
# appears in what any command that reads a case prints (`next`, `explain`, `may-share`, `case`,
# `run`, `cedar`; text and --format json), on any error path: a message names the fact, consent or
# field, never what the case holds.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

sop=examples/annex1a/annex1a.sop
M=SECRETMARKER
# The marker in every place a case file has: each key and each value of every section, as a name, a
# time, a list item, an unknown key, a whole section of the wrong shape.
for planted in "facts: { violence: $M }" "facts: { safe_now: $M }" "facts: { hours_since_incident: $M }" "facts: { $M: true }" \
    "consents: { police_referral: $M }" "consents: { $M: granted }" "consents: { police_referral: { granted: $M } }" \
    "consents: { police_referral: { granted: true, at: \"$M\" } }" "consents: { police_referral: { granted: true, until: $M } }" \
    "consents: { police_referral: { granted: true, withdrawn: $M } }" "consents: { police_referral: { granted: true, except: [$M] } }" \
    "consents: { police_referral: { granted: true, only: [$M] } }" "consents: { police_referral: { granted: true, $M: 1 } }" \
    "consents: { police_referral: { granted: true, shared: [$M] } }" "consents: { police_referral: { granted: true, to: $M } }" \
    "events: [ { inform: $M } ]" "events: [ { step: $M } ]" "events: [ { choose: $M } ]" "events: [ { choose: referrals.$M } ]" \
    "events: [ { refer: $M } ]" "events: [ { refer: district_hospital, for: $M } ]" "events: [ { share: $M } ]" \
    "events: [ { share: survivor_name, with: $M } ]" "events: [ { report: $M } ]" "events: [ { told: $M } ]" \
    "events: [ { permit: life_threat_police, data: $M, with: district_police, reason: x } ]" \
    "events: [ { permit: $M, data: location, with: district_police, reason: x } ]" \
    "events: [ { inform: right_to_refuse, at: $M } ]" "events: [ { inform: right_to_refuse, $M: 1 } ]" "events: [ $M ]" \
    "events: $M" "facts: $M" "consents: [ $M ]" "language: $M" "pathway: $M" "$M: 1" \
    "case: $M
facts: { violence: nonsense }" "facts: { violence: \"$M" "facts: { violence: $M, violence: physical }"; do
    case $planted in opened_by*) head="" ;; *) head="opened_by: vaw_centre" ;; esac
    printf '%s\n%s\n' "$head" "$planted" >"$tmp/leak.yaml"
    leaked=""
    for cmd in "next" "explain" "may-share" "case" "run" "cedar"; do
        case $cmd in
        may-share) more="survivor_name vaw_centre district_police" ;;
        case) more="--set safe_now=true" ;;
        cedar) more="vaw_centre -o $tmp/cedar" ;;
        *) more="" ;;
        esac
        # shellcheck disable=SC2086
        if printf 'q\n' | ${RUN:-} "$RD" $cmd "$sop" "$tmp/leak.yaml" $more 2>&1 | grep -q $M; then leaked="$cmd"; fi
        [ "$cmd" = cedar ] && continue
        # shellcheck disable=SC2086
        if printf 'q\n' | ${RUN:-} "$RD" $cmd "$sop" "$tmp/leak.yaml" $more --format json 2>&1 | grep -q $M; then leaked="$cmd --format json"; fi
    done 2>/dev/null
    if [ -z "$leaked" ]; then ok; else bad "privacy: $leaked printed a planted value ($planted)"; fi
done
# opened_by itself
printf 'opened_by: %s\n' "$M" >"$tmp/leak.yaml"
if ${RUN:-} "$RD" next "$sop" "$tmp/leak.yaml" 2>&1 | grep -q $M; then bad "privacy: next printed opened_by's value"; else ok; fi

finish privacy
