#!/bin/sh
# What an attacker or a careless author names (issue 13, faults 7, 8, 9, 11, 20, 22): an SOP whose
# directory is a case file or /etc/passwd, a local rules/esp.sop that would replace the standard
# principles, a case file whose misspelt names sit on a line with her facts, the Cedar context
# written readable by everyone, control characters for the worker's terminal, and Lua that does
# not compile or fails. Every check here failed on the code before.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
marker=SECRETMARKER$$

# 8. A directory or translations file outside the SOP's folder is not read, not even its first line.
mkdir -p "$tmp/sop" "$tmp/cases"
cat >"$tmp/cases/c.yaml" <<YAML
case: "$marker"
facts: { note: "$marker" }
YAML
for named in "../cases/c.yaml" "$tmp/cases/c.yaml" "/etc/passwd"; do
    printf 'sop "Paths" { languages en }\ndirectory "%s"\n' "$named" >"$tmp/sop/a.sop"
    ${RUN:-} "$RD" check "$tmp/sop/a.sop" >"$tmp/out" 2>&1
    if grep -q "outside the SOP's folder" "$tmp/out" && ! grep -q "$marker\|root:" "$tmp/out"; then ok; else
        bad "directory \"$named\": read, or not refused as outside"; head -5 "$tmp/out"; fi
done
ln -s ../cases/c.yaml "$tmp/sop/dir.yaml"
printf 'sop "Paths" { languages en }\ntranslations "dir.yaml"\n' >"$tmp/sop/b.sop"
${RUN:-} "$RD" check "$tmp/sop/b.sop" >"$tmp/out" 2>&1
if grep -q "outside the SOP's folder" "$tmp/out" && ! grep -q "$marker" "$tmp/out"; then ok; else
    bad "a symlink beside the SOP leading to a case file is read"; head -5 "$tmp/out"; fi
if ${RUN:-} "$RD" check --allow-any-path "$tmp/sop/a.sop" 2>&1 | grep -q "outside the SOP's folder"; then
    bad "--allow-any-path does not allow"; else ok; fi

# 22. A local rules/esp.sop (here empty) does not replace the standard principles: the breach is
# still found, and a warning names both files.
mkdir -p "$tmp/shadow/rules"
cp examples/violations/firewall_chain.sop "$tmp/shadow/sop.sop"
: >"$tmp/shadow/rules/esp.sop"
${RUN:-} "$RD" check "$tmp/shadow/sop.sop" >"$tmp/out" 2>&1
if grep -q "error\[firewall\]" "$tmp/out" && grep -q "shadowed-module\|not .*beside this SOP" "$tmp/out"; then ok; else
    bad "a local rules/esp.sop replaced the standard principles"; head -5 "$tmp/out"; fi

# 7. A case file's errors never quote its lines or what someone typed as a name.
sop=tests/flow/narrowed.sop
cp tests/flow/narrowed.yaml "$tmp/leak.yaml"
sed -i "s/except: \[location, migration_status\]/except: [locaton, $marker], note: $marker/" "$tmp/leak.yaml"
printf 'facts: { %s_fact: true }\nevents:\n  - { step: %s, at: "2024-05-01T10:00:00Z" }\n' "$marker" "$marker" >>"$tmp/leak.yaml"
for cmd in next explain "may-share" case; do
    more=""
    [ "$cmd" = "may-share" ] && more="survivor_name narrow_centre narrow_police"
    [ "$cmd" = case ] && more="--step received"
    # shellcheck disable=SC2086
    ${RUN:-} "$RD" $cmd "$sop" "$tmp/leak.yaml" $more >"$tmp/out" 2>&1
    if grep -q error "$tmp/out" && ! grep -q "$marker" "$tmp/out"; then ok; else bad "$cmd quotes the case file"; cat "$tmp/out"; fi
    # shellcheck disable=SC2086
    ${RUN:-} "$RD" $cmd "$sop" "$tmp/leak.yaml" $more --format json >"$tmp/out" 2>&1
    if ! grep -q "$marker" "$tmp/out"; then ok; else bad "$cmd --format json quotes the case file"; fi
done

# 9. The Cedar context holds her facts: private, like the case it comes from.
${RUN:-} "$RD" cedar tests/cedar/rules.sop tests/cedar/case.yaml clinic --now 2024-05-02T10:00:00Z -o "$tmp/cedar" 2>/dev/null
if [ "$(stat -c %a "$tmp/cedar/context.json")" = 600 ]; then ok; else
    bad "context.json is readable by others ($(stat -c %a "$tmp/cedar/context.json"))"; fi

# 11. Control characters never reach the worker's terminal: an SOP line or text holding ESC, a
# C1 control or a direction override is refused at its line and column, and so is a YAML escape
# that makes one.
for ctl in '\033[2J' '\033]52;c;aGk=\007' '\302\233' '\342\200\256'; do
    printf 'sop "Controls" { languages en }\nnotice n "Before you tell me more %b"\n' "$ctl" >"$tmp/sop/c.sop"
    ${RUN:-} "$RD" check "$tmp/sop/c.sop" >"$tmp/out" 2>&1
    if grep -q "c.sop:2:.*control character" "$tmp/out" && ! grep -q "$(printf '\033')" "$tmp/out"; then ok; else
        bad "a control character in an SOP text ($ctl) is accepted or printed"; fi
done
# invalid UTF-8 shown in an error: an overlong CSI, a surrogate, past U+10FFFF, never raw
printf 'sop "x\301\23331m\355\240\200 \364\220\200\200" { languages en }\n' >"$tmp/sop/u.sop"
${RUN:-} "$RD" check "$tmp/sop/u.sop" >"$tmp/out" 2>&1
if grep -q "not valid UTF-8" "$tmp/out" && ! LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/out"; then ok; else
    bad "invalid UTF-8 reaches the terminal raw in an error"; fi
printf 'sop "Controls" { languages en, th }\ntranslations "t.yaml"\nnotice n "Hello"\n' >"$tmp/sop/d.sop"
printf 'language: th\nnotices:\n  n: "\\e[8mhidden"\n' >"$tmp/sop/t.yaml"
${RUN:-} "$RD" check "$tmp/sop/d.sop" >"$tmp/out" 2>&1
if grep -q "control character" "$tmp/out" && ! grep -q "$(printf '\033')" "$tmp/out"; then ok; else
    bad "a YAML escape making ESC in a translation is accepted"; cat "$tmp/out"; fi

# 20. Lua that does not compile is an error of `check` at the fact; Lua that fails at run time is
# said in `next` and `may-share`, never a fact silently unknown.
mkdir -p "$tmp/lua"
cat >"$tmp/lua/l.sop" <<'SOP'
sop "Lua" { languages en }
sector police "Police"
actor centre "Centre" { sector police provides help }
actor station "Station" { sector police provides help }
service help "Help"
data survivor_name "Her name" { identifying }
fact risk: bool = lua "risk.lua"
permit urgent "Urgent" { shares survivor_name with station when risk }
pathway p "P" {
  entry centre
  start s
  step s "S" by provider {
    if risk { end "urgent" }
    end "done"
  }
}
SOP
printf 'return (
' >"$tmp/lua/risk.lua"
${RUN:-} "$RD" check "$tmp/lua/l.sop" >"$tmp/out" 2>&1
if grep -q "l.sop:7:.*does not compile" "$tmp/out"; then ok; else bad "Lua that does not compile passes check"; cat "$tmp/out"; fi
printf 'error("no")
' >"$tmp/lua/risk.lua"
printf 'sop: "l.sop"
case: "l-1"
opened_by: centre
' >"$tmp/lua/c.yaml"
${RUN:-} "$RD" next "$tmp/lua/l.sop" "$tmp/lua/c.yaml" >"$tmp/out" 2>&1
${RUN:-} "$RD" may-share "$tmp/lua/l.sop" "$tmp/lua/c.yaml" survivor_name centre station >>"$tmp/out" 2>&1
if [ "$(grep -c "computed fact \`risk\` has no value" "$tmp/out")" -ge 2 ]; then ok; else
    bad "a failing computed fact is silently unknown"; cat "$tmp/out"; fi

# 21. She consented to what she was told: a later text of the SOP whose consent shares more does not
# turn her old grant into an allow for the rest; `next` asks for her answer again.
mkdir -p "$tmp/ver"
sed 's/shares survivor_name, location, safety_plan, passport_details, migration_status/shares survivor_name/' \
    tests/flow/narrowed.sop >"$tmp/ver/s.sop"
printf 'sop: "s.sop"\ncase: "v-1"\nopened_by: narrow_centre\n' >"$tmp/ver/c.yaml"
${RUN:-} "$RD" case "$tmp/ver/s.sop" "$tmp/ver/c.yaml" --grant police_referral --now 2024-05-01T10:00:00Z >/dev/null 2>&1
cp tests/flow/narrowed.sop "$tmp/ver/s.sop" # the new text: shares her location too
${RUN:-} "$RD" may-share "$tmp/ver/s.sop" "$tmp/ver/c.yaml" location narrow_centre narrow_police --now 2024-05-02T10:00:00Z >"$tmp/out" 2>&1
${RUN:-} "$RD" next "$tmp/ver/s.sop" "$tmp/ver/c.yaml" --now 2024-05-02T10:00:00Z >>"$tmp/out" 2>&1
if grep -q "^deny: .*ask her again" "$tmp/out" && grep -q "^seek police_referral: ask her again" "$tmp/out" &&
    ${RUN:-} "$RD" may-share "$tmp/ver/s.sop" "$tmp/ver/c.yaml" survivor_name narrow_centre narrow_police \
        --now 2024-05-02T10:00:00Z 2>&1 | grep -q "^allow"; then ok; else
    bad "an old grant covers what a newer text of the consent shares"; cat "$tmp/out"; fi
if grep -q "opened under another text of the SOP" "$tmp/out" && grep -q "^sop_fingerprint: " "$tmp/ver/c.yaml"; then ok; else
    bad "the case does not say it was opened under another text of the SOP"; fi

# A report a duty requires is not allowed before she has been told of the duty (000 "Mandatory
# reporting"; issue 14: may-share allowed it while next asked for the notice first).
a1=examples/annex1a/annex1a.sop
printf 'sop: "x"\ncase: "d-1"\nopened_by: vaw_centre\nfacts: { urgent_injuries: true }\n' >"$tmp/duty.yaml"
q() { ${RUN:-} "$RD" may-share "$a1" "$tmp/duty.yaml" incident_details district_hospital district_police --now 2024-05-01T12:00:00Z 2>&1; }
if q | grep -q "^deny: .*give notice .hospital_report_duty. first"; then ok; else bad "a duty's report is allowed before her notice"; q; fi
printf 'events:\n  - { inform: hospital_report_duty, at: "2024-05-01T11:00:00Z" }\n' >>"$tmp/duty.yaml"
if q | grep -q "^allow: .*duty .injury_report."; then ok; else bad "a duty's report is denied after her notice"; q; fi

# Two uses of a permit are two things she must be told; one `told` answers one use (issue 14).
cp examples/annex1a/cases/c-0001.yaml "$tmp/glass.yaml"
${RUN:-} "$RD" case "$a1" "$tmp/glass.yaml" --set emergency=true --permit life_threat_police:location:district_police \
    --reason "partner outside" --now 2024-05-01T10:00:00Z >/dev/null 2>&1
${RUN:-} "$RD" case "$a1" "$tmp/glass.yaml" --permit life_threat_police:survivor_name:district_police --reason "to find her" \
    --now 2024-05-01T10:05:00Z >/dev/null 2>&1
${RUN:-} "$RD" case "$a1" "$tmp/glass.yaml" --told life_threat_police --now 2024-05-01T12:00:00Z >/dev/null 2>&1
tell=$(${RUN:-} "$RD" next "$a1" "$tmp/glass.yaml" --now 2024-05-01T12:01:00Z 2>&1 | grep -c "^tell_after")
if [ "$tell" -eq 1 ] && ${RUN:-} "$RD" next "$a1" "$tmp/glass.yaml" --now 2024-05-01T12:01:00Z 2>&1 | grep -q "survivor_name. was sent"; then ok; else
    bad "one --told cleared two uses of a permit ($tell left to tell)"; fi

# A share only a permit allows is shown as break-glass, with the permit and the prompt for a reason,
# never like a consented one (issue 14).
cp examples/annex1a/cases/c-0001.yaml "$tmp/bg.yaml"
${RUN:-} "$RD" case "$a1" "$tmp/bg.yaml" --set emergency=true --informed right_to_refuse --informed services_regardless_of_status \
    --informed emergency_police --now 2024-05-01T10:00:00Z >/dev/null 2>&1
if ${RUN:-} "$RD" next "$a1" "$tmp/bg.yaml" --now 2024-05-01T10:01:00Z 2>&1 |
    grep -q "BREAK-GLASS: .location. to .district_police. only under permit .life_threat_police.*--reason"; then ok; else
    bad "a share under a permit looks like an ordinary one"; fi

# A case opened by an actor that is not one of its pathway's entries is refused, not run (issue 14).
printf 'sop: "x"\ncase: "e-1"\nopened_by: district_police\npathway: annex1a\n' >"$tmp/entry.yaml"
if ${RUN:-} "$RD" next "$a1" "$tmp/entry.yaml" 2>&1 | grep -q "not one that may open pathway .annex1a."; then ok; else
    bad "a case opened by an actor that is no entry of its pathway runs"; fi

# A FIFO named as the decision log does not hang the question: refused at once (exit 2).
mkfifo "$tmp/log.fifo"
timeout 10 ${RUN:-} "$RD" may-share "$sop" tests/flow/narrowed.yaml survivor_name narrow_centre narrow_police \
    --decision-log "$tmp/log.fifo" >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok; else bad "a FIFO as the decision log: exit $rc (124 is a hang)"; fi

# A name that is not the SOP's, typed into a may-share question, is not written to the decision log.
${RUN:-} "$RD" may-share "$sop" tests/flow/narrowed.yaml "$marker" narrow_centre narrow_police --decision-log "$tmp/d.log" >/dev/null 2>&1
if [ -s "$tmp/d.log" ] && ! grep -q "$marker" "$tmp/d.log"; then ok; else bad "the decision log holds a name typed in a question"; fi

finish adversarial-trust
