# Sourced by the test scripts, from the top folder: the binary under test, the counts, a scratch
# folder removed on exit, the closing line with the exit status, and the checks several suites make
# (a golden file, `rightdoor check` under a memory cap, a program that must check clean, an exit status).
RD=${RIGHTDOOR:-./rightdoor}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# finish NAME: "NAME: N passed, N failed", and the status of the whole script.
finish() { echo "$1: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }

# limit_memory [KIB]: caps the address space of the (sub)shell it runs in, and of what that runs, at
# RD_ULIMIT_KB KiB, else KIB, else 4000000: a regression that eats memory fails its test, not the
# machine. RD_ULIMIT_KB=0 sets no cap: AddressSanitizer builds reserve terabytes of address space for
# their shadow memory and abort under any cap (the Makefile's test-asan passes it). The suites' only
# memory cap: call it in a subshell, `( limit_memory; exec CMD )`.
limit_memory() {
    _kb=${RD_ULIMIT_KB:-${1:-4000000}}
    if [ "$_kb" != 0 ]; then ulimit -v "$_kb"; fi
}

# checked FILE: runs `rightdoor check FILE` under the memory cap and a 60-second timeout (a regression
# that loops fails too); what it prints, stdout and stderr, is left in $tmp/checked, and its exit
# status is returned.
checked() {
    ( limit_memory; exec timeout 60 ${RUN:-} "$RD" check "$1" ) >"$tmp/checked" 2>&1
}

# same_as WHAT EXPECTED GOT: GOT is exactly the text of the golden file EXPECTED. With UPDATE=1 the
# file is rewritten instead; review the diff by reading it.
same_as() {
    if [ "${UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$3" >"$2"
        ok
    elif [ -f "$2" ] && [ "$3" = "$(cat "$2")" ]; then
        ok
    else
        bad "$1"
        printf '%s\n' "$3" | diff -u "$2" - | head -40
    fi
}

# check_golden FILE.sop...: what `rightdoor check` prints for each (stdout and stderr), followed by
# "exit: N", is exactly FILE.out.
check_golden() {
    for _src; do
        checked "$_src"
        _st=$?
        same_as "$_src" "${_src%.sop}.out" "$(cat "$tmp/checked"; echo "exit: $_st")"
    done
}

# check_clean FILE.sop...: each checks with exit 0, no error and no warning (notes, such as the
# waivers an SOP lists, are allowed) and "FILE: ok (0 warnings)" last. A file whose header says
# EXPECTED TO FAIL documents a known false positive of the verifier: it fails until that is fixed.
check_clean() {
    for _src; do
        checked "$_src"
        _st=$?
        if [ "$_st" -eq 0 ] && [ "$(tail -n 1 "$tmp/checked")" = "$_src: ok (0 warnings)" ] &&
            ! grep -qE '^[^ ]+: (error|warning)' "$tmp/checked"; then
            ok
        else
            _note=""
            grep -q '^# .*EXPECTED TO FAIL' "$_src" && _note=" (known verifier bug, see its header)"
            bad "$_src: exit $_st$_note"
            head -20 "$tmp/checked"
        fi
    done
}

# expect_exit STATUS WHAT CMD...: CMD (run as ${RUN} CMD, its output dropped) exits with STATUS.
expect_exit() {
    _want=$1 _what=$2
    shift 2
    ${RUN:-} "$@" >/dev/null 2>&1
    _got=$?
    if [ "$_got" -eq "$_want" ]; then ok; else bad "$_what: exit $_got, wanted $_want"; fi
}
