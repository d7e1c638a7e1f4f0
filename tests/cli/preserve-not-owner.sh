#!/bin/sh
# -p by a user who may write DEST but does not own it: the data is
# copied, but the mode and times cannot be set (EPERM), nor the owner
# (silently, as cp -p).  As cp -p does, mcp says which attributes it
# could not preserve, one line each, keeps the complete DEST and exits 1.
# Before, the finished copy was removed.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd setpriv
id nobody >/dev/null 2>&1 || skip "there is no user nobody"
# The directory is open to all, so that removing DEST was possible.
chmod 755 "$TMP"
chmod 777 "$WORK"
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MCP" ||
	skip "nobody cannot run $MCP"
random_file src 3000000
chmod 640 src
chgrp nogroup src || skip "cannot give src the group nogroup"
set_old_mtime src

for args in '-j 1' '-j 4' '-j 2 --verify'; do
	random_file dst 1000
	chmod 666 dst
	before=$(stat -c '%u:%g %a' dst)
	# shellcheck disable=SC2086 # $args is a list of words
	expect_exit 1 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$MCP" -p $args src dst
	expect_no_stdout
	expect_same src dst
	expect_stderr \
		"mcp: dst: cannot preserve permissions: Operation not permitted" \
		"mcp: dst: cannot preserve timestamps: Operation not permitted"
	[ "$(stat -c '%u:%g %a' dst)" = "$before" ] ||
		fail "-p $args: dst is $(stat -c '%u:%g %a' dst), not $before"
	no_leftovers . src dst
done
