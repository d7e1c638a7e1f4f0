#!/bin/sh
# A SOURCE that grows while it is copied (1 MiB appended again and again
# from another process) is copied as it was when mcp opened it: exit 0,
# silent, DEST's size is between SOURCE's size before the appends began
# and its final size, and DEST holds exactly that many first bytes of
# the final SOURCE.  Growing is not "file changed during copy": only a
# SOURCE that shrank is.  Three rounds.  Needs no root.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep cmp
need_env_signals

# The appending loop, killed if the test ends early (it stops by itself
# once $WORK/stop exists).
APP_PID=
# shellcheck disable=SC2016 # expanded when the test ends
at_exit 'if [ -n "$APP_PID" ]; then kill -s KILL "$APP_PID" 2>/dev/null; fi'

grew=0
for round in 1 2 3; do
	rm -f src dst stop
	random_file src 268435456
	start=$(file_size src)

	# One write(2) of 1 MiB per append: the file grows page by page, so
	# every size it ever has is $start plus a multiple of 4096.
	while [ ! -e stop ]; do
		dd if=/dev/urandom of=src bs=1M count=1 iflag=fullblock \
			oflag=append conv=notrunc status=none || exit 1
		sleep 0.01
	done &
	APP_PID=$!
	# The appends have begun before mcp looks at SOURCE.
	i=0
	while [ "$(file_size src)" = "$start" ]; do
		[ "$i" -lt 250 ] || fail "round $round: src did not grow in 5 s"
		sleep 0.02
		i=$((i + 1))
	done

	start_copy 2 -- -j 2 -c 1M src dst
	finish_copy
	touch stop
	app_rc=0
	wait "$APP_PID" || app_rc=$?
	APP_PID=
	[ "$app_rc" = 0 ] || hard_error "round $round: the appending loop failed"

	if [ "$BG_RC" != 0 ]; then
		show_output
		fail "round $round: mcp -j 2 -c 1M src dst:" \
			"$(describe_status "$BG_RC"), expected 0"
	fi
	[ ! -s "$ERR" ] || { show_output; fail "round $round: not silent"; }
	final=$(file_size src)
	copied=$(file_size dst)
	[ "$copied" -ge "$start" ] ||
		fail "round $round: dst has $copied bytes, src had $start before the appends"
	[ "$copied" -le "$final" ] ||
		fail "round $round: dst has $copied bytes, src only $final"
	[ $(((copied - start) % 4096)) = 0 ] ||
		fail "round $round: dst has $copied bytes, a size src never had"
	cmp -n "$copied" src dst >&2 ||
		fail "round $round: dst differs from the first $copied bytes of src"
	no_leftovers . src dst stop
	echo "round $round: src $start -> $final bytes, dst $copied bytes"
	if [ "$final" -gt "$copied" ]; then
		grew=$((grew + 1))
	fi
done
[ "$grew" -gt 0 ] || skip "no append landed while mcp was copying"
