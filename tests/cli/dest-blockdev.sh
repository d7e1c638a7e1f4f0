#!/bin/sh
# A DEST that is a block device is written in place from its start, never
# replaced or truncated: the bytes past SOURCE stay as they were.  A
# SOURCE of known size that does not fit fails up front with "No space
# left on device" and writes nothing.  Needs root and a loop device.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd losetup
random_file img 2097152
cp img saved
dev=$(losetup --find --show img 2>/dev/null) || skip "losetup failed"
at_exit "losetup -d '$dev'"
[ -b "$dev" ] || skip "$dev is not a block device"

# head_of FILE N: the first N bytes of FILE, into $TMP/x/head.
head_of() {
	head -c "$2" "$1" >"$TMP/x/head"
}

random_file src 1000003
expect_exit 0 "$MCP" src "$dev"
expect_silent
[ -b "$dev" ] || fail "$dev is no longer a block device"
head_of "$dev" 1000003
expect_same src "$TMP/x/head"
cmp -s -i 1000003 "$dev" saved || fail "$dev changed past SOURCE's end"

# Too big: refused before a byte is written.
cp "$dev" before
random_file big 2097153
expect_exit 1 "$MCP" big "$dev"
expect_no_stdout
expect_stderr "mcp: $dev: No space left on device"
cmp -s "$dev" before || fail "$dev was written by a copy that could not fit"

# From a pipe the size is unknown: the write past the end says so.
expect_pipe_exit 1 big "$MCP" - "$dev"
expect_no_stdout
expect_stderr "mcp: $dev: No space left on device"
[ -b "$dev" ] || fail "$dev was removed"
