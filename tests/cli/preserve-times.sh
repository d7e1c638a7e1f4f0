#!/bin/sh
# -p gives DEST SOURCE's access and modification times to the nanosecond,
# as they were when the copy started (reading SOURCE may change its
# access time).
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 300000
random_file old 10
for args in '' '-j 2 -c 4K' '--atomic' '--atomic -j 2 -c 4K'; do
	rm -f new
	cp old dst
	touch -m -d '2001-02-03 04:05:06.123456789' src
	touch -a -d '2002-03-04 05:06:07.987654321' src
	want=$(stat -c '%x|%y' src)
	case $want in
	*.987654321*'|'*.123456789*) ;;
	*) skip "no nanosecond timestamps here: $want" ;;
	esac
	for d in new dst; do
		# shellcheck disable=SC2086 # $args is a list of words
		expect_exit 0 "$MCP" -p $args src "$d"
		expect_silent
		# Before reading it: cmp would change its access time.
		got=$(stat -c '%x|%y' "$d")
		[ "$got" = "$want" ] ||
			fail "-p $args, $d: times $got, expected $want"
		expect_same src "$d"
		touch -a -d '2002-03-04 05:06:07.987654321' src
	done
done
no_leftovers . src old new dst
