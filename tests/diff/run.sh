#!/bin/sh
# `rightdoor diff` golden tests: each case compares two small SOPs (tests/diff/base.sop and one
# revision of it) and NAME.out holds exactly what a committee sees (stdout and stderr) followed by
# the exit status; NAME.json, when present, the --format json document. Run with UPDATE=1 to
# rewrite them, then review the changes by reading them.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
T=tests/diff
# name, old, new: every revision against the base, one the other way round (what removing a duty
# gives back), the base against itself, the three ways a comparison cannot be made, and the first
# draft of the migrant domestic worker SOP against its fixed version (its README shows this).
while read -r name old new; do
    got=$( (timeout 60 ${RUN:-} "$RD" diff "$old" "$new") 2>&1; echo "exit: $?")
    same_as "diff $name" "$T/$name.out" "$got"
    if [ -f "$T/$name.json" ] || { [ "${UPDATE:-0}" = 1 ] && [ "$name" = duty_added ]; }; then
        got=$( (timeout 60 ${RUN:-} "$RD" diff --format json "$old" "$new") 2>&1; echo "exit: $?")
        same_as "diff $name (json)" "$T/$name.json" "$got"
    fi
done <<CASES
permit_widened $T/base.sop $T/permit_widened/new.sop
consent_narrowed $T/base.sop $T/consent_narrowed/new.sop
duty_added $T/base.sop $T/duty_added/new.sop
duty_removed $T/duty_added/new.sop $T/base.sop
actor_sector_changed $T/base.sop $T/actor_sector_changed/new.sop
steps_changed $T/base.sop $T/steps_changed/new.sop
same_meaning $T/base.sop $T/same_meaning/new.sop
same_file $T/base.sop $T/base.sop
error_in_new $T/base.sop $T/error_in_new/new.sop
error_in_both $T/error_in_new/new.sop $T/error_in_new/new.sop
missing_file $T/base.sop $T/no_such_file.sop
mdw_fix examples/migrant_domestic_worker/before.sop examples/migrant_domestic_worker/migrant_domestic_worker.sop
CASES
# Usage mistakes never reach a comparison.
for args in "diff $T/base.sop" "diff --format sarif $T/base.sop $T/base.sop"; do
    # shellcheck disable=SC2086
    ${RUN:-} "$RD" $args >/dev/null 2>&1
    if [ $? -eq 2 ]; then ok; else bad "rightdoor $args: wanted exit 2"; fi
done
finish diff
