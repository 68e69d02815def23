#!/bin/sh
# The runtime commands that read a case and change nothing: `next`, `explain` and `may-share`, with
# --format json and --decision-log, on a fictional case (examples/annex1a/cases/c-0001.yaml); and
# on every fictional case the examples ship, what tests/runtime_cli/cases.txt says of it.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

sop=examples/annex1a/annex1a.sop
cp examples/annex1a/cases/c-0001.yaml "$tmp/case.yaml"
out=$(${RUN:-} "$RD" next "$sop" "$tmp/case.yaml" --format json 2>&1)
if printf '%s' "$out" | grep -q '"actions"' && printf '%s' "$out" | grep -q '"kind": "inform"'; then ok; else bad "next --format json"; fi
out=$(${RUN:-} "$RD" may-share "$sop" "$tmp/case.yaml" survivor_name vaw_centre district_police --format json 2>&1)
if printf '%s' "$out" | grep -q '"decision": "deny"' && printf '%s' "$out" | grep -q '"rule": "police_referral"'; then ok; else bad "may-share refused consent"; fi
expect_exit 2 "next: missing case file" "$RD" next "$sop" "$tmp/none.yaml"
# She has been told of her right to refuse (the events list ends the case file).
printf '  - { inform: right_to_refuse, at: "2024-05-01T10:05:00Z" }\n' >>"$tmp/case.yaml"
out=$(${RUN:-} "$RD" explain "$sop" "$tmp/case.yaml" 2>&1)
if printf '%s' "$out" | grep -q "she was told \`right_to_refuse\`" && printf '%s' "$out" | grep -q "^now:"; then ok; else bad "explain"; fi
${RUN:-} "$RD" may-share "$sop" "$tmp/case.yaml" survivor_name vaw_centre district_police --decision-log "$tmp/log.jsonl" >/dev/null 2>&1
${RUN:-} "$RD" next "$sop" "$tmp/case.yaml" --decision-log "$tmp/log.jsonl" >/dev/null 2>&1
if [ "$(wc -l <"$tmp/log.jsonl")" -eq 2 ] && grep -q '"sop_hash"' "$tmp/log.jsonl" && grep -q '"rule":"police_referral"' "$tmp/log.jsonl"; then ok; else bad "decision log"; fi

# ---- The fictional cases every example ships: one line of tests/runtime_cli/cases.txt a check ----
# next_says WHAT SOP CASE NOW "+TEXT | -TEXT ...": `next` exits 0, prints every +TEXT and no -TEXT.
next_says() {
    out=$(${RUN:-} "$RD" next "$2" "$3" --now "$4" 2>&1 </dev/null)
    st=$?
    wrong=""
    rest="$5 | "
    while [ -n "$rest" ]; do
        p=${rest%% | *}
        rest=${rest#* | }
        pat=${p#?}
        case $p in
        +*) printf '%s\n' "$out" | grep -qF -- "$pat" || wrong="$wrong missing [$pat]" ;;
        -*) printf '%s\n' "$out" | grep -qF -- "$pat" && wrong="$wrong unwanted [$pat]" ;;
        *) wrong="$wrong [$p] is neither +TEXT nor -TEXT" ;;
        esac
    done
    if [ "$st" -eq 0 ] && [ -z "$wrong" ]; then ok; else bad "$1: next exit $st,$wrong"; printf '%s\n' "$out" | head -8; fi
}
# share_says WHAT SOP CASE NOW "may-share DATA FROM TO -> DECISION (RULE)"
share_says() {
    what=$1 s_sop=$2 s_case=$3 s_now=$4
    set -f
    # shellcheck disable=SC2086
    set -- $5
    set +f
    if [ "$#" -ne 7 ] || [ "$5" != "->" ]; then
        bad "$what: not of the form [may-share DATA FROM TO -> DECISION (RULE)]"
        return
    fi
    rule=${7#(}
    rule=${rule%)}
    out=$(${RUN:-} "$RD" may-share "$s_sop" "$s_case" "$2" "$3" "$4" --now "$s_now" --format json 2>&1 </dev/null)
    if printf '%s' "$out" | grep -q "\"decision\": \"$6\"" && printf '%s' "$out" | grep -q "\"rule\": \"$rule\""; then ok
    else bad "$what: may-share, wanted $6 by $rule"; printf '%s\n' "$out" | head -4; fi
}

checked=""
while IFS= read -r line <&3; do
    case $line in '#'* | '') continue ;; esac
    at=${line%% | *}; rest=${line#* | }
    now=${rest%% | *}; rest=${rest#* | }
    what="$at: ${rest%% | *}"; rest=${rest#* | }
    ex=${at%%/*}
    c_sop=examples/$ex/$ex.sop
    c_case=examples/$ex/cases/${at#*/}.yaml
    checked="$checked $c_case"
    case $rest in
    "may-share "*) share_says "$what" "$c_sop" "$c_case" "$now" "$rest" ;;
    *) next_says "$what" "$c_sop" "$c_case" "$now" "$rest" ;;
    esac
done 3<tests/runtime_cli/cases.txt

# Every case file shipped has a check there.
for f in examples/*/cases/*.yaml; do
    case " $checked " in *" $f "*) ok ;; *) bad "$f: no check in tests/runtime_cli/cases.txt" ;; esac
done

finish runtime-cli
