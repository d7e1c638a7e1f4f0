#!/bin/sh
# -p gives DEST SOURCE's permission bits whatever the umask, set-user-ID,
# set-group-ID and sticky bits included, for a new DEST and an existing
# one alike (whose own mode is replaced).
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

# check MODE [MCP_ARG...]: a SOURCE of MODE gives a DEST of MODE.
check() {
	mode=$1
	shift
	rm -f src dst
	random_file src 10000
	chmod "$mode" src
	[ "$(file_mode src)" = "$mode" ] || skip "cannot chmod $mode here"
	rc=0
	(umask 077 && exec "$MCP" -p "$@" src dst) >"$OUT" 2>"$ERR" || rc=$?
	[ "$rc" = 0 ] || { show_output; fail "mode $mode $*: $(describe_status "$rc")"; }
	expect_silent
	expect_same src dst
	[ "$(file_mode dst)" = "$mode" ] ||
		fail "mode $mode $*: dst mode $(file_mode dst)"
}

check 644
check 4755
check 2755 -j 2
check 1777 --atomic
check 6750 --atomic
check 4755 --preserve

# An existing DEST takes SOURCE's mode, also through a temporary file.
for atomic in '' --atomic; do
	chmod 4751 src
	random_file dst 3000
	chmod 600 dst
	# shellcheck disable=SC2086 # $atomic is one word or none
	expect_exit 0 "$MCP" -p $atomic src dst
	expect_silent
	expect_same src dst
	[ "$(file_mode dst)" = 4751 ] ||
		fail "existing dst $atomic: mode $(file_mode dst), not 4751"
done
no_leftovers . src dst
