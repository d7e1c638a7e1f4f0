#!/bin/sh
# What cannot be memory-mapped (a character device, a /proc file, a FIFO,
# standard input) is refused with one line naming it, exit 1, no DEST,
# and never a hang.
# When the plain read/write path of the SPEC lands, these become copies.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd timeout

# refused SOURCE: mcp SOURCE dst fails at once with an error naming it.
refused() {
	expect_exit 1 timeout 5 "$MCP" "$1" dst
	expect_no_stdout
	expect_stderr_has "mcp: $1: "
	no_leftovers . fifo
}

mkfifo fifo
refused /dev/zero
refused /proc/self/status
refused fifo
refused - </dev/null
