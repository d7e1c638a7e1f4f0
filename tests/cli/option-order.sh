#!/bin/sh
# Options may follow the operands, and "--" ends the options, so a file
# whose name looks like an option can be copied.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 300000
expect_exit 0 "$MCP" src dst -j 2
expect_silent
expect_same src dst

rm dst
expect_exit 0 "$MCP" src -c 4096 dst --jobs=3
expect_silent
expect_same src dst

random_file ./-j 5000
expect_exit 0 "$MCP" -- -j dst2
expect_silent
expect_same ./-j dst2

expect_exit 0 "$MCP" -j 2 -- src -c
expect_silent
expect_same src ./-c
no_leftovers . src dst -j dst2 -c
