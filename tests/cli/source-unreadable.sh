#!/bin/sh
# A SOURCE mcp may not read: "Permission denied", exit 1, no DEST.  Root
# reads everything, so as root run mcp as nobody on a root-owned 0600
# file, in a world-writable directory where nobody could create DEST.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd setpriv
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

chmod 755 "$TMP" "$WORK"
mkdir open
chmod 1777 open
random_file open/secret 5000
chmod 600 open/secret

# mcp must be reachable by nobody; if its build directory is private,
# run a copy of the same binary from here.
mcp=$MCP
if ! as_nobody test -x "$mcp" 2>/dev/null; then
	mkdir bin
	cp "$MCP" bin/mcp
	mcp=$WORK/bin/mcp
fi
as_nobody test -w open || skip "nobody cannot write into $WORK/open"

expect_exit 1 as_nobody "$mcp" open/secret open/dst
expect_no_stdout
expect_stderr "mcp: open/secret: cannot open: Permission denied"
no_leftovers open secret

mkdir open/d
chmod 1777 open/d
expect_exit 1 as_nobody "$mcp" open/secret open/d
expect_no_stdout
expect_stderr "mcp: open/secret: cannot open: Permission denied"
no_leftovers open/d
