#!/bin/sh
# Regression inputs from fuzzing (one file per bug, as onetrue-awk's bugs-fixed/): `rightdoor check`
# must answer every one with a verdict, exit 0, 1 or 2, within REGRESS_TIMEOUT seconds (default 10)
# and 2 GB of memory (tests/lib.sh's cap: RD_ULIMIT_KB=0 lifts it) and a 512 KB stack; any other
# exit (3 out of memory, 124 timeout, a signal, a sanitizer report) fails. NAME.sop is checked as
# is. NAME.yaml is named by a small SOP, once as its `directory` and once as its `translations` (an
# SOP serving en and my), as the fuzzer does (fuzz/fuzz_yaml.c).
#   RIGHTDOOR=build-asan/rightdoor RD_ULIMIT_KB=0 sh tests/regress/run.sh     # under the sanitizers
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
T=${REGRESS_TIMEOUT:-10}
# A sanitizer report must not pass for exit status 1 (errors in the program).
ASAN_OPTIONS="exitcode=86:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=87:halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS

# check LABEL FILE.sop: runs rightdoor on it and counts the outcome.
check() {
    # A 512 KB stack: every recursion is bounded well below it, even under the sanitizers.
    ( ulimit -s 512; limit_memory 2000000
      exec timeout -k 5 "$T" ${RUN:-} "$RD" check "$2" ) >"$tmp/out" 2>&1
    st=$?
    case $st in
    0 | 1 | 2) ok ;;
    *)
        case $st in
        3) why="out of memory" ;;
        124 | 137) why="timed out after ${T}s" ;;
        86) why="AddressSanitizer/LeakSanitizer report" ;;
        87) why="UndefinedBehaviorSanitizer report" ;;
        *) if [ "$st" -gt 128 ]; then why="killed by signal $((st - 128))"; else why="unexpected exit"; fi ;;
        esac
        bad "$1: exit $st ($why)"
        grep -m 6 -E 'ERROR|SUMMARY|runtime error|#[0-3] ' "$tmp/out" | sed 's/^/    /'
        ;;
    esac
}

for f in tests/regress/*.sop; do
    [ -e "$f" ] || continue
    check "$f" "$f"
done

for y in tests/regress/*.yaml; do
    [ -e "$y" ] || continue
    abs=$(pwd)/$y
    printf 'use std\ndirectory "%s"\n' "$abs" >"$tmp/directory.sop"
    check "$y (as a directory)" "$tmp/directory.sop"
    cat >"$tmp/translations.sop" <<SOP
sop "regress" { languages en, my }
use std
translations "$abs"
actor fz_centre "Fuzz Centre" { sector social_services specialist provides first_line_support }
notice fz_notice "A notice."
fact fz_fact: bool "A question?"
consent fz_consent "A consent" { shares survivor_name with fz_centre purpose "fuzzing" }
pathway fz "Fuzz" {
  entry fz_centre
  start intake
  step intake "Intake" by provider {
    inform fz_notice
    ask fz_fact
    seek fz_consent { granted { refer fz_centre for first_line_support sharing survivor_name } refused { } }
    choose {
      stay "Stay" { end "stays" }
      leave "Leave" { end "leaves" }
    }
  }
}
SOP
    check "$y (as translations)" "$tmp/translations.sop"
done

finish regress
