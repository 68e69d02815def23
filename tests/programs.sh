#!/bin/sh
# Every program the project ships (stdlib/, rules/, examples/) checks with no error and no warning;
# the first draft of the migrant domestic worker SOP (before.sop), meant to fail, is still caught
# for each mistake its README walks through. The other command-line suites: tests/exit_codes.sh,
# tests/runtime_cli.sh, tests/case_cli.sh, tests/privacy.sh, tests/embed.sh.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

# Notes (the waivers an SOP declares) are listed; errors and warnings are not allowed.
check_clean $(find stdlib rules examples -name '*.sop' ! -path 'examples/violations/*' ! -name 'before.sop' | sort)

# before.sop carries the mistakes its README walks through; each one must still be caught, by the
# principle the README names.
before=examples/migrant_domestic_worker/before.sop
got=$(${RUN:-} "$RD" check "$before" 2>&1 | grep -oE '^[^ ]+: error\[[a-z_]+\]' | sed 's/.*error\[//; s/\]//' | sort -u | tr '\n' ' ')
want="consent_before_sharing interpreter_independent no_migration_status_record notice_before_report police_only_with_consent refusal_keeps_health_care refusal_keeps_services refusal_keeps_shelter status_only_to_legal_aid "
if [ "$got" = "$want" ]; then ok; else bad "$before: caught [$got], wanted [$want]"; fi

finish programs
