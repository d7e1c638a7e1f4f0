#!/bin/sh
# A read(2) that fails mid-copy on the read/write path is one error line
# naming SOURCE, exit 1, and DEST is removed, new or existing.
# /proc/self/mem fails at offset 0 with EIO: nothing is mapped there.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

if dd if=/proc/self/mem of=/dev/null bs=1 count=1 2>"$TMP/x/dd"; then
	skip "reading /proc/self/mem at offset 0 does not fail here"
fi
grep -q 'Input/output error' "$TMP/x/dd" ||
	skip "reading /proc/self/mem fails otherwise than with EIO here"

expect_exit 1 "$MCP" /proc/self/mem dst
expect_no_stdout
expect_stderr "mcp: /proc/self/mem: read: Input/output error"
no_leftovers .

random_file dst 4000
expect_exit 1 "$MCP" /proc/self/mem dst
expect_no_stdout
expect_stderr "mcp: /proc/self/mem: read: Input/output error"
no_leftovers .
