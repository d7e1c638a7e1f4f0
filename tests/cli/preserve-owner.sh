#!/bin/sh
# As root, -p gives DEST SOURCE's owner and group, and keeps a set-user-ID
# bit that chown would otherwise clear.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
random_file src 20000
chown 65534:65534 src || skip "cannot chown to 65534:65534"
chmod 4755 src
random_file old 100
for args in '' '-j 2' '--atomic' '--atomic -j 2'; do
	rm -f new
	cp old dst
	for d in new dst; do
		# shellcheck disable=SC2086 # $args is a list of words
		expect_exit 0 "$MCP" -p $args src "$d"
		expect_silent
		expect_same src "$d"
		got=$(stat -c '%u:%g %a' "$d")
		[ "$got" = "65534:65534 4755" ] ||
			fail "-p $args, $d: owner and mode $got, not 65534:65534 4755"
	done
done
no_leftovers . src old new dst
