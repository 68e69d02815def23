#!/bin/sh
# Files an SOP or a case names, as an attacker would name them (issue 13, faults 7, 8, 9, 22):
# an SOP whose directory is a case file or /etc/passwd, a local rules/esp.sop that would replace
# the standard principles, a case file whose misspelt names sit on a line with her facts, and the
# Cedar context written readable by everyone. Every check here failed on the code before.
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

finish adversarial-paths
