#!/bin/sh
# The command line keeps its documented exit codes (`rightdoor --help`, cli/main.c): 0 no errors, 1
# errors in the program, 2 bad usage or a file that cannot be read.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

printf 'sector a "A"\nactor b "B" { sector c }\n' >"$tmp/bad.sop"
expect_exit 1 "a program with errors" "$RD" check "$tmp/bad.sop"
expect_exit 2 "a missing file" "$RD" check "$tmp/no-such-file.sop"
expect_exit 2 "a folder given as a file" "$RD" check "$tmp"
expect_exit 2 "no command" "$RD"
expect_exit 2 "an unknown command" "$RD" frobnicate "$tmp/bad.sop"
expect_exit 2 "an unknown option" "$RD" check --frob "$tmp/bad.sop"
expect_exit 0 "help" "$RD" --help
: >"$tmp/empty.sop"
expect_exit 0 "an empty file" "$RD" check "$tmp/empty.sop"

finish exit-codes
