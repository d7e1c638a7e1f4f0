#!/bin/sh
# What cannot be memory-mapped (a character device, a /proc file, a FIFO,
# standard input) is copied with read(2) and write(2) instead of being
# refused: exit 0, silent, DEST holds what a read to end of file gives,
# and never a hang.  -v names the read/write path.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd timeout

# copied SOURCE EXPECTED: mcp SOURCE dst makes dst equal to EXPECTED.
copied() {
	rm -f dst
	expect_exit 0 within 5 "$MCP" "$1" dst
	expect_silent
	expect_same "$2" dst
}

: >empty
printf 'through a FIFO\n' >small
mkfifo fifo

copied /dev/null empty
cat /proc/sys/kernel/ostype >ostype || hard_error "cannot read ostype"
copied /proc/sys/kernel/ostype ostype
(printf 'through a FIFO\n' >fifo) &
copied fifo small
wait
rm dst
expect_pipe_exit 0 small within 5 "$MCP" - dst
expect_silent
expect_same small dst

rm -f dst
expect_exit 0 within 5 "$MCP" -v - dst </dev/null
expect_no_stdout
expect_stderr "mcp: '-' -> 'dst': read/write to end of file"
expect_same empty dst
no_leftovers . empty small fifo ostype dst
