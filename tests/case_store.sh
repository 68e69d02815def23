#!/bin/sh
# `rightdoor case` as a careless or hostile user drives it (issue 13): two workers on one case at
# once, times written the way other software writes them, a grant recorded again, values that
# would break hand-written YAML, long arguments, symlinks and shared files, a save killed half way.
# Every check here failed on the code before the case store was rewritten.
# WRITERS x ROUNDS (default 8 x 200) concurrent `case` runs must all be in the file afterwards.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
sop=tests/flow/narrowed.sop
new_case() { cp tests/flow/narrowed.yaml "$tmp/$1"; }
deny() { ${RUN:-} "$RD" may-share "$sop" "$tmp/$1" "$2" narrow_centre narrow_police --now "$3" 2>/dev/null | grep -q '^deny'; }

# Two workers at once: a worker records her withdrawal while others record other things; nothing
# may be lost. Each run adds one event with its own time, so every run can be counted after.
WRITERS=${WRITERS:-8}
ROUNDS=${ROUNDS:-200}
new_case race.yaml
w=0
while [ "$w" -lt "$WRITERS" ]; do
    (
        r=0
        while [ "$r" -lt "$ROUNDS" ]; do
            s=$((w * ROUNDS + r))
            ${RUN:-} "$RD" case "$sop" "$tmp/race.yaml" --step received \
                --now "2024-06-01T$(printf '%02d:%02d:%02d' $((s / 3600)) $((s / 60 % 60)) $((s % 60)))Z" >/dev/null 2>&1 ||
                echo "run $w/$r failed" >>"$tmp/race.err"
            r=$((r + 1))
        done
    ) &
    w=$((w + 1))
done
${RUN:-} "$RD" case "$sop" "$tmp/race.yaml" --withdraw police_referral --now 2024-06-01T00:00:00Z >/dev/null 2>&1 ||
    echo "withdrawal failed" >>"$tmp/race.err"
wait
events=$(grep -c 'step: received' "$tmp/race.yaml")
if [ "$events" -eq $((WRITERS * ROUNDS)) ] && [ ! -s "$tmp/race.err" ] && grep -q withdrawn "$tmp/race.yaml" &&
    deny race.yaml survivor_name 2024-06-02T00:00:00Z; then ok; else
    bad "$WRITERS x $ROUNDS concurrent writers and a withdrawal: $events of $((WRITERS * ROUNDS)) updates kept, withdrawal $(grep -c withdrawn "$tmp/race.yaml")"
    head -3 "$tmp/race.err" 2>/dev/null
fi

# Times: an instant at the epoch is an instant; times without a zone, impossible days, sloppy
# widths and trailing text are errors with the column, never guesses.
new_case epoch.yaml
sed -i 's/at: "2024-05-01T10:00:00Z"/at: "1970-01-01T00:00:00Z", withdrawn: "1970-01-01T00:00:00Z"/' "$tmp/epoch.yaml"
if deny epoch.yaml survivor_name 2024-05-02T10:00:00Z; then ok; else bad "a withdrawal at 1970-01-01T00:00:00Z is ignored"; fi
for t in "2031-07-09 15:00:00" "2031-02-31T10:00:00Z" "2031-7-9T1:2:3Z" "2031-07-09T10:00:00Zjunk" "2031-07-09"; do
    new_case t.yaml
    sed -i "s/at: \"2024-05-01T10:00:00Z\"/at: \"$t\"/" "$tmp/t.yaml"
    if ${RUN:-} "$RD" next "$sop" "$tmp/t.yaml" >"$tmp/out" 2>&1; then bad "the time \"$t\" is accepted in a case file"
    elif grep -q "t.yaml:8:.*not a time with its offset" "$tmp/out" && ! grep -qF "$t" "$tmp/out"; then ok
    else bad "the time \"$t\": no error at its line, or the value quoted"; cat "$tmp/out"; fi
    if ${RUN:-} "$RD" next "$sop" tests/flow/narrowed.yaml --now "$t" >/dev/null 2>&1; then bad "--now \"$t\" is accepted"; else ok; fi
done
new_case tz.yaml
# 15:00 at +07:00 is 08:00 UTC: a question at 07:59 UTC is before she gave it
sed -i 's/at: "2024-05-01T10:00:00Z"/at: "2024-05-01T15:00:00+07:00"/' "$tmp/tz.yaml"
if deny tz.yaml survivor_name 2024-05-01T07:59:59Z && ! deny tz.yaml survivor_name 2024-05-01T08:00:00Z; then ok; else
    bad "a time with an offset is not the instant it names"; fi

# Times with a fraction of a second, as JavaScript writes them: a consent given at 10:00:00.900
# does not count at 10:00:00, and a question is asked at a whole second.
new_case frac.yaml
sed -i 's/at: "2024-05-01T10:00:00Z"/at: "2024-05-01T10:00:00.900Z"/' "$tmp/frac.yaml"
if deny frac.yaml survivor_name 2024-05-01T10:00:00Z && ! deny frac.yaml survivor_name 2024-05-01T10:00:01Z; then ok; else
    bad "a consent given at 10:00:00.900 counts at 10:00:00"; fi
if ${RUN:-} "$RD" next "$sop" tests/flow/narrowed.yaml --now 2024-05-01T10:00:00.500Z >/dev/null 2>&1; then
    bad "--now with a fraction of a second is taken"; else ok; fi

# A grant recorded again keeps what she kept back and until when; new terms are recorded as given.
new_case regrant.yaml
${RUN:-} "$RD" case "$sop" "$tmp/regrant.yaml" --grant police_referral --now 2024-05-03T10:00:00Z >/dev/null 2>&1
if deny regrant.yaml location 2024-05-04T10:00:00Z && deny regrant.yaml safety_plan 2024-05-04T10:00:00Z; then ok; else
    bad "recording the grant again lifted what she kept back"; fi
${RUN:-} "$RD" case "$sop" "$tmp/regrant.yaml" --grant police_referral --except migration_status --until 2024-05-05T10:00:00Z \
    --now 2024-05-03T11:00:00Z >/dev/null 2>&1
if ! deny regrant.yaml location 2024-05-04T10:00:00Z && deny regrant.yaml passport_details 2024-05-04T10:00:00Z &&
    deny regrant.yaml location 2024-05-06T10:00:00Z; then ok; else bad "a grant with new terms (--except, --until)"; fi
if ${RUN:-} "$RD" case "$sop" "$tmp/regrant.yaml" --except location --now 2024-05-03T12:00:00Z >/dev/null 2>&1; then
    bad "--except without a --grant before it is accepted"; else ok; fi

# A bad number leaves the good one.
cp examples/annex1a/cases/c-0001.yaml "$tmp/num.yaml"
a1=examples/annex1a/annex1a.sop
${RUN:-} "$RD" case "$a1" "$tmp/num.yaml" --set hours_since_incident=30 --now 2024-05-01T10:00:00Z >/dev/null 2>&1
${RUN:-} "$RD" case "$a1" "$tmp/num.yaml" --set hours_since_incident=thirty --now 2024-05-01T10:00:00Z >/dev/null 2>&1
if grep -q "hours_since_incident: 30" "$tmp/num.yaml"; then ok; else bad "--set with a bad number changed the fact"; fi

# Values that would break hand-written YAML: not the SOP's names are refused, free text is kept.
new_case inject.yaml
nl='
'
${RUN:-} "$RD" case "$sop" "$tmp/inject.yaml" --step "received${nl}consents:${nl}  police_referral: granted" \
    --now 2024-05-03T10:00:00Z >/dev/null 2>&1
if ! grep -q "^consents:$" "$tmp/inject.yaml" || [ "$(grep -c police_referral "$tmp/inject.yaml")" -eq 1 ]; then ok; else
    bad "a newline in --step wrote a key into the case"; fi
if ${RUN:-} "$RD" next "$sop" "$tmp/inject.yaml" >/dev/null 2>&1; then ok; else bad "the case no longer loads after --step"; fi
for bad_arg in "--choose received.x${nl}y" "--shared survivor_name:narrow_police${nl}- {told: x}"; do
    # shellcheck disable=SC2086
    if ${RUN:-} "$RD" case "$sop" "$tmp/inject.yaml" ${bad_arg%% *} "${bad_arg#* }" --now 2024-05-03T10:00:00Z >/dev/null 2>&1; then
        bad "${bad_arg%% *} with a newline is accepted"; else ok; fi
done
if ${RUN:-} "$RD" next "$sop" "$tmp/inject.yaml" >/dev/null 2>&1; then ok; else bad "the case no longer loads after refused changes"; fi
# a break-glass reason with quotes, colons, a hash and any script is saved and read back; one with
# DEL or U+0093 (which would drive the worker's terminal) is refused before anything is saved
cp examples/annex1a/cases/c-0001.yaml "$tmp/glass.yaml"
${RUN:-} "$RD" case "$a1" "$tmp/glass.yaml" --set emergency=true --now 2024-05-01T10:00:00Z >/dev/null 2>&1
reason=$(printf 'her partner was \342\200\234outside\342\200\235: "knife" # 2 \341\200\200')
if ${RUN:-} "$RD" case "$a1" "$tmp/glass.yaml" --permit life_threat_police:location:district_police --reason "$reason" \
    --now 2024-05-01T10:05:00Z >/dev/null 2>&1 && ${RUN:-} "$RD" next "$a1" "$tmp/glass.yaml" >/dev/null 2>&1 &&
    grep -qF "$(printf "outside\342\200\235: ")" "$tmp/glass.yaml"; then ok; else bad "a reason with quotes, a colon and a hash is not kept"; fi
cp "$tmp/glass.yaml" "$tmp/glass.before"
for r in "$(printf 'x \177 y')" "$(printf 'x \302\223 y')" "$(printf 'x \033[8m y')"; do
    if ${RUN:-} "$RD" case "$a1" "$tmp/glass.yaml" --permit life_threat_police:location:district_police --reason "$r" \
        --now 2024-05-01T10:06:00Z >"$tmp/out" 2>&1; then bad "a reason with a control character is saved"
    elif cmp -s "$tmp/glass.yaml" "$tmp/glass.before" && grep -q "control character" "$tmp/out"; then ok
    else bad "a refused reason changed the case, or the error does not say why"; fi
done
# a NUL escape in a case file cuts no name short
new_case nul.yaml
sed -i 's/  police_referral: {/  "police_referral\\0_refused": {/' "$tmp/nul.yaml"
if ${RUN:-} "$RD" next "$sop" "$tmp/nul.yaml" >/dev/null 2>&1; then bad "a name with a NUL escape is read cut short"; else ok; fi

# Long arguments are kept whole: 300 zeros then 72 is 72, never 0.
cp examples/annex1a/cases/c-0001.yaml "$tmp/long.yaml"
long="$(printf '%0300d' 0)72"
${RUN:-} "$RD" case "$a1" "$tmp/long.yaml" --set "hours_since_incident=$long" --now 2024-05-01T10:00:00Z >/dev/null 2>&1
if grep -q "hours_since_incident: 72$" "$tmp/long.yaml"; then ok; else bad "a long --set value was cut short"; fi

# A symlinked case: the target is replaced, the link stays; a team's 0660 case keeps its mode; a
# new... case file written by `case` is private; what a killed save left is cleaned up.
mkdir "$tmp/team"
new_case team/real.yaml
chmod 0660 "$tmp/team/real.yaml"
ln -s real.yaml "$tmp/team/link.yaml"
${RUN:-} "$RD" case "$sop" "$tmp/team/link.yaml" --withdraw police_referral --now 2024-05-03T10:00:00Z >/dev/null 2>&1
if [ -L "$tmp/team/link.yaml" ] && grep -q withdrawn "$tmp/team/real.yaml"; then ok; else
    bad "saving through a symlink replaced the link and left the target as it was"; fi
if [ "$(stat -c %a "$tmp/team/real.yaml")" = 660 ]; then ok; else bad "a 0660 case lost its mode on save"; fi
printf 'her whole case\n' >"$tmp/team/real.yaml.rightdoor-save.Zz9Yy8"
chmod 0600 "$tmp/team/real.yaml.rightdoor-save.Zz9Yy8"
printf 'a backup\n' >"$tmp/team/real.yaml.tmp.backup"
${RUN:-} "$RD" case "$sop" "$tmp/team/link.yaml" --step received --now 2024-05-03T11:00:00Z >/dev/null 2>&1
if [ ! -e "$tmp/team/real.yaml.rightdoor-save.Zz9Yy8" ]; then ok; else bad "what a killed save left beside the case stays for ever"; fi
if [ -e "$tmp/team/real.yaml.tmp.backup" ]; then ok; else bad "cleaning up after a crashed save removed someone's backup"; fi

# `run` waits on the worker between reading the case and saving it: a withdrawal another worker
# records meanwhile must survive, and a round with no answer writes nothing.
new_case run.yaml
( sleep 2; printf 'q\n' ) | ${RUN:-} "$RD" run "$sop" "$tmp/run.yaml" >/dev/null 2>&1 &
runner=$!
sleep 1
${RUN:-} "$RD" case "$sop" "$tmp/run.yaml" --withdraw police_referral --now 2024-06-01T00:00:00Z >/dev/null 2>&1
wait "$runner"
if grep -q withdrawn "$tmp/run.yaml" && deny run.yaml survivor_name 2024-06-02T00:00:00Z; then ok; else
    bad "a withdrawal recorded while run waited on the worker was overwritten"; fi

# A second withdrawal does not move the first one later (which would reopen the time between).
new_case twice.yaml
${RUN:-} "$RD" case "$sop" "$tmp/twice.yaml" --withdraw police_referral --now 2024-06-01T00:00:00Z >/dev/null 2>&1
${RUN:-} "$RD" case "$sop" "$tmp/twice.yaml" --withdraw police_referral --now 2024-07-01T00:00:00Z >/dev/null 2>&1
if deny twice.yaml survivor_name 2024-06-15T00:00:00Z; then ok; else bad "a second withdrawal reopened the time after the first"; fi

# A FIFO named as the case is refused at once, never waited on.
mkfifo "$tmp/fifo.yaml"
timeout 10 ${RUN:-} "$RD" case "$sop" "$tmp/fifo.yaml" --step received >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then ok; else bad "a FIFO as the case: exit $rc (124 is a hang)"; fi

finish case-store
