#!/bin/sh
# --cache=auto on a SOURCE whose page cache Linux hides from mcp (a file
# the user may neither write nor own): mincore reports every page as
# cached, so auto keeps SOURCE's pages, as keep does, rather than drop
# pages another user may be using; DEST (the user's own) is dropped as
# usual.  As root, run mcp as nobody on a root-owned 0644 file.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd setpriv fincore dd
case $(stat -f -c %T .) in
tmpfs | ramfs) skip "TMPDIR is in RAM: its pages cannot be dropped" ;;
esac
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
resident() {
	fincore -b -n -o RES -- "$1" || hard_error "fincore $1 failed"
}

chmod 755 "$TMP" "$WORK"
mkdir open
chmod 1777 open
SIZE=$((8 * 1048576))
random_file open/src "$SIZE"
chmod 644 open/src
mcp=$MCP
if ! as_nobody test -x "$mcp" 2>/dev/null; then
	mkdir bin
	cp "$MCP" bin/mcp
	mcp=$WORK/bin/mcp
fi
as_nobody test -w open || skip "nobody cannot write into $WORK/open"

sync open/src
dd if=open/src iflag=nocache count=0 status=none
[ "$(resident open/src)" -eq 0 ] || skip "cannot empty the page cache"
expect_exit 0 as_nobody "$mcp" open/src open/dst
expect_silent
r=$(resident open/src)
[ "$r" -eq "$SIZE" ] ||
	fail "SOURCE hidden from mincore: $r bytes cached, expected all $SIZE"
r=$(resident open/dst)
[ "$r" -eq 0 ] || fail "DEST: $r bytes cached, expected 0"
expect_same open/src open/dst
