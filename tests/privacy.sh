#!/bin/sh
# Privacy: a value planted in a case file (SECRETMARKER) never appears in what any command that
# reads a case prints (`next`, `explain`, `may-share`, `case`, `run`; text and --format json), on
# any error path: a message names the fact, consent or field, never what the case holds.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

sop=examples/annex1a/annex1a.sop
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

finish privacy
