#!/bin/sh
# With --atomic a new DEST gets SOURCE's mode less the umask, as without.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

# check SRC_MODE UMASK WANT
check() {
	rm -f src dst
	random_file src 10000
	chmod "$1" src
	rc=0
	(umask "$2" && exec "$MCP" --atomic src dst) >"$OUT" 2>"$ERR" || rc=$?
	if [ "$rc" != 0 ]; then
		show_output
		fail "mode $1, umask $2: $(describe_status "$rc")"
	fi
	expect_silent
	expect_same src dst
	got=$(file_mode dst)
	[ "$got" = "$3" ] ||
		fail "source mode $1, umask $2: dst mode $got, expected $3"
	no_leftovers . src dst
}

check 754 022 754
check 754 027 750
check 600 022 600
check 777 077 700
check 644 000 644
check 4755 022 755
