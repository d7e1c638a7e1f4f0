#!/bin/sh
# --verify with a block device DEST (a loop device), which the copy
# writes in place through read/write: the device is read back from its
# start and compared with SOURCE read again, or, from a pipe, with the
# checksum of what was read.  Exit 0, silent; -v and --json say it was
# verified.  Once --verify only warned there and verified nothing.
# Needs root and a loop device.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd losetup
random_file img 4194304
dev=$(losetup --find --show img 2>/dev/null) || skip "losetup failed"
at_exit "losetup -d '$dev'"
[ -b "$dev" ] || skip "$dev is not a block device"

random_file src 3000003
# on_dev N FILE: the first N bytes of the device are FILE's.
on_dev() {
	head -c "$1" "$dev" >"$TMP/x/head"
	expect_same "$2" "$TMP/x/head"
}

expect_exit 0 "$MCP" --verify src "$dev"
expect_silent
on_dev 3000003 src
expect_exit 0 "$MCP" --verify -v src "$dev"
expect_no_stdout
expect_stderr "mcp: 'src' -> '$dev': 3000003 bytes, read/write" \
	"mcp: '$dev': verified: 3000003 bytes identical to 'src'"

random_file src2 1000000
expect_pipe_exit 0 src2 "$MCP" --verify -v - "$dev"
expect_no_stdout
expect_stderr "mcp: '-' -> '$dev': read/write to end of file" \
	"mcp: '$dev': verified: 1000000 bytes match what was read from '-'"
on_dev 1000000 src2

expect_exit 0 "$MCP" --verify --json src "$dev"
grep -q '"verified":true' "$OUT" || { show_output; fail "--json: not verified"; }
on_dev 3000003 src
[ -b "$dev" ] || fail "$dev is no longer a block device"
