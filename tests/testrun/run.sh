#!/bin/sh
# `rightdoor test`: the runner's report on a small SOP matches the reviewed golden file
# (riverside.expected: passing tests, one test whose every kind of expectation fails, a test that
# stops at a consent it does not answer, an untaken branch); every example's tests pass and take
# every branch; and in every example, turning one expectation around makes the run fail, so its
# tests are not passing vacuously.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
# A sanitizer report must not pass for exit status 1 (tests failed).
ASAN_OPTIONS="exitcode=86${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=87:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS
trap 'rm -rf "$tmp" examples/*/.mutant.sop' EXIT INT TERM

${RUN:-} "$RD" test --coverage tests/testrun/riverside.sop >"$tmp/out" 2>&1
st=$?
if [ $st -eq 1 ] && cmp -s "$tmp/out" tests/testrun/riverside.expected; then ok; else
    bad "riverside.sop: exit $st (want 1), or the report differs from riverside.expected:"
    diff tests/testrun/riverside.expected "$tmp/out" | head -20
fi

for f in $(find examples -name '*.sop' ! -path 'examples/violations/*' ! -name 'before.sop' | sort); do
    ${RUN:-} "$RD" test --coverage "$f" >"$tmp/out" 2>&1
    st=$?
    last=$(tail -n 1 "$tmp/out")
    cov=$(grep '^coverage:' "$tmp/out")
    n=${cov#coverage: }; n=${n%% *}
    case "$last" in
    "0 passed, 0 failed") bad "$f has no tests" ;;
    *" passed, 0 failed")
        if [ $st -eq 0 ] && [ "$cov" = "coverage: $n of $n branches taken by a test" ]; then ok; else
            bad "$f: exit $st, $cov"; grep -v ': ok' "$tmp/out" | head -20
        fi ;;
    *) bad "$f: exit $st"; grep -v ': ok' "$tmp/out" | head -40 ;;
    esac
    # The first `expect step` turned into `expect no step` must fail, naming that line.
    line=$(grep -n '^  expect step ' "$f" | head -n 1 | cut -d: -f1)
    if [ -n "$line" ]; then
        sed "${line}s/expect step /expect no step /" "$f" >"$(dirname "$f")/.mutant.sop"
        ${RUN:-} "$RD" test "$(dirname "$f")/.mutant.sop" >"$tmp/out" 2>&1
        st=$?
        rm -f "$(dirname "$f")/.mutant.sop"
        if [ $st -eq 1 ] && grep -q "^  line $line: expect no step" "$tmp/out" && tail -n 1 "$tmp/out" | grep -q ' 1 failed$'; then ok
        else bad "$f: reversing line $line did not fail the run (exit $st)"; fi
    fi
done

# A program with errors is not run: its diagnostics, exit 1.
printf 'sop "x" { languages en }\ntest "t" { expect end }\n' >"$tmp/bad.sop"
${RUN:-} "$RD" test "$tmp/bad.sop" >"$tmp/out" 2>&1
st=$?
if [ $st -eq 1 ] && grep -q 'error' "$tmp/out" && ! grep -q 'passed' "$tmp/out"; then ok; else bad "errors: exit $st"; cat "$tmp/out"; fi
${RUN:-} "$RD" test "$tmp/none.sop" >/dev/null 2>&1
st=$?
if [ $st -eq 2 ]; then ok; else bad "missing file: exit $st"; fi

finish "test runner"
