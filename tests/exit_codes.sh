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
expect_exit 0 "the version" "$RD" --version
# the version said is the library's, as the header names it
want=$(sed -n 's/^#define RD_VERSION_STRING "\(.*\)"$/\1/p' include/rightdoor.h)
if [ -n "$want" ] && [ "$(${RUN:-} "$RD" --version)" = "rightdoor $want" ] && [ "$(${RUN:-} "$RD" version)" = "rightdoor $want" ]; then ok; else
    bad "rightdoor --version does not say $want"; fi
: >"$tmp/empty.sop"
expect_exit 0 "an empty file" "$RD" check "$tmp/empty.sop"

finish exit-codes
