#!/bin/sh
# Several SOURCEs go into the last operand, a directory.  With three or
# more operands the last one must be a directory; a missing SOURCE fails
# alone, with one error line, and the others are still copied.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 1000
random_file b 70000
: >c
mkdir d
expect_exit 0 "$MCP" -j 2 a b c d
expect_silent
expect_same a d/a
expect_same b d/b
expect_same c d/c
no_leftovers d a b c

# Three operands, the last one missing or a file: refused, nothing made.
expect_exit 1 "$MCP" a b nodir
expect_no_stdout
expect_stderr "mcp: target 'nodir' is not a directory"
cp c saved
expect_exit 1 "$MCP" a b c
expect_no_stdout
expect_stderr "mcp: target 'c' is not a directory"
expect_same saved c
rm saved
no_leftovers . a b c d

# One missing among three: the other two are copied, exit 1.
rm -r d
mkdir d
expect_exit 1 "$MCP" a missing b d
expect_no_stdout
expect_stderr "mcp: missing: cannot open: No such file or directory"
expect_same a d/a
expect_same b d/b
no_leftovers d a b
