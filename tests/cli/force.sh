#!/bin/sh
# -f, as cp -f: an existing DEST that cannot be opened (here read-only to
# a user who is not root) is removed and created anew.  Without -f the
# copy fails and DEST stays as it was; -n keeps DEST whatever -f says; a
# DEST that cannot be removed either fails with "cannot remove"; a
# symbolic link is replaced itself, what it points to left alone.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd setpriv
id nobody >/dev/null 2>&1 || skip "there is no user nobody"
chmod 755 "$TMP"
chmod 777 "$WORK"
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"
}
as_nobody test -x "$MCP" || skip "nobody cannot run $MCP"
random_file src 300000
chmod 644 src

# old FILE: FILE owned by nobody, read-only, old contents and mtime.
old() {
	rm -f "$1"
	printf 'old contents\n' >"$1"
	chown nobody "$1"
	chmod 444 "$1"
	set_old_mtime "$1"
}

for args in '-j 1' '-j 4 -c 64K'; do
	old dst
	before=$(stat -c '%i %a %Y' dst)
	# shellcheck disable=SC2086 # $args is a list of words
	expect_exit 1 as_nobody "$MCP" $args src dst
	expect_no_stdout
	expect_stderr "mcp: dst: cannot open: Permission denied"
	[ "$(stat -c '%i %a %Y' dst)" = "$before" ] ||
		fail "$args without -f: dst changed"
	[ "$(cat dst)" = "old contents" ] || fail "$args without -f: dst rewritten"

	# shellcheck disable=SC2086 # $args is a list of words
	expect_exit 0 as_nobody "$MCP" -f $args src dst
	expect_silent
	expect_same src dst
	[ "$(stat -c '%U %a' dst)" = "nobody 644" ] ||
		fail "$args -f: dst is $(stat -c '%U %a' dst), not nobody 644"

	# --force, and -n before or after it: DEST kept.
	old dst
	expect_exit 0 as_nobody "$MCP" --force -n src dst
	expect_silent
	[ "$(cat dst)" = "old contents" ] || fail "-f -n rewrote dst"
done

# A DEST that opens needs no -f, and -f removes nothing then: same inode.
rm -f dst
random_file dst 10
chown nobody dst
ino=$(stat -c %i dst)
expect_exit 0 as_nobody "$MCP" -f src dst
expect_silent
expect_same src dst
[ "$(stat -c %i dst)" = "$ino" ] || fail "-f replaced a DEST it could open"

# A directory nobody may not write: DEST cannot be removed either.
mkdir locked
old locked/dst
chmod 755 locked
expect_exit 1 as_nobody "$MCP" -f src locked/dst
expect_no_stdout
expect_stderr "mcp: locked/dst: cannot remove: Permission denied"
[ "$(cat locked/dst)" = "old contents" ] || fail "locked/dst rewritten"

# A symbolic link to a file nobody may not write: the link goes, a new
# file takes its name, the file it pointed to is untouched.
old target
ln -s target link
expect_exit 0 as_nobody "$MCP" -f src link
expect_silent
[ ! -L link ] || fail "-f kept the symbolic link"
expect_same src link
[ "$(cat target)" = "old contents" ] || fail "-f wrote through the link"
no_leftovers . src dst locked target link
