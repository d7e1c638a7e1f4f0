#!/bin/sh
# Without -p nothing but the permission bits of a new DEST comes from
# SOURCE: no set-ID bits, no old times, and an existing DEST keeps its
# mode.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 10000
chmod 4755 src
set_old_mtime src
old=$(file_mtime src)
random_file dst 500
chmod 640 dst
for atomic in '' --atomic; do
	rm -f new
	# shellcheck disable=SC2086 # $atomic is one word or none
	(umask 022 && exec "$MCP" $atomic src new) >"$OUT" 2>"$ERR" ||
		{ show_output; fail "mcp $atomic src new failed"; }
	expect_silent
	expect_same src new
	[ "$(file_mode new)" = 755 ] ||
		fail "new $atomic: mode $(file_mode new), not 755"
	[ "$(file_mtime new)" != "$old" ] || fail "new $atomic: mtime copied"
	# shellcheck disable=SC2086
	expect_exit 0 "$MCP" $atomic src dst
	expect_silent
	expect_same src dst
	[ "$(file_mode dst)" = 640 ] ||
		fail "dst $atomic: mode $(file_mode dst), not 640"
	[ "$(file_mtime dst)" != "$old" ] || fail "dst $atomic: mtime copied"
done
no_leftovers . src dst new
