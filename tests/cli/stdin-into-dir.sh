#!/bin/sh
# Standard input has no name to give it inside a DIRECTORY: `mcp - DIR`
# is an error (exit 1) that creates nothing, and with other SOURCEs the
# rest are still copied.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir d
random_file a 3000
msg="mcp: -: cannot copy standard input into directory 'd': it has no name; give DEST as a file name"

expect_exit 1 "$MCP" - d <a
expect_no_stdout
expect_stderr "$msg"
no_leftovers d

# shellcheck disable=SC2094 # mcp reads a and writes d/a
expect_exit 1 "$MCP" a - d <a
expect_no_stdout
expect_stderr "$msg"
expect_same a d/a
no_leftovers d a

# A file named "-" is still a file when spelled ./-
cp a ./-
expect_exit 0 "$MCP" ./- d </dev/null
expect_silent
expect_same a d/-
no_leftovers d a -
