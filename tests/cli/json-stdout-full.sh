#!/bin/sh
# --json when stdout cannot take the object (a full disk, a closed
# stdout): "mcp: write error: ...", exit 1; DEST is still the finished
# copy, and nothing meant for stdout ends up in it.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 300000
if [ -w /dev/full ]; then
	rc=0
	"$MCP" --json a b >/dev/full 2>"$ERR" || rc=$?
	[ "$rc" = 1 ] || fail ">/dev/full: $(describe_status "$rc"), expected 1"
	expect_stderr "mcp: write error: No space left on device"
	expect_same a b
fi

# A closed stdout (and stdin, so that DEST is opened as descriptor 1):
# the same error, and DEST intact.
rc=0
"$MCP" --json a c <&- >&- 2>"$ERR" || rc=$?
[ "$rc" = 1 ] || fail ">&-: $(describe_status "$rc"), expected 1"
expect_stderr "mcp: write error: Bad file descriptor"
expect_same a c
