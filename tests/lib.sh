# Sourced by the test scripts, from the top folder: the binary under test, the counts, a scratch
# folder removed on exit, and the closing line with the exit status.
RD=${RIGHTDOOR:-./rightdoor}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# finish NAME: "NAME: N passed, N failed", and the status of the whole script.
finish() { echo "$1: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
