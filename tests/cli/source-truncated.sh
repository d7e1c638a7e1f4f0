#!/bin/sh
# A SOURCE that shrinks during the copy: the workers' SIGBUS is caught and
# reported as "file changed during copy", exit 1, no DEST; never a crash.
# Timing decides whether the truncation lands during the copy, so a few
# delays are tried; if every copy ended first, the test is skipped.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep
need_env_signals

hit=
for delay in 0.1 0.2 0.05 0.3; do
	random_file src 209715200
	rm -f dst
	start_copy 2 -- -j 2 -c 1M src dst
	sleep "$delay"
	truncate -s 4096 src
	finish_copy
	case $BG_RC in
	0)
		# The copy ended before the truncation (or began after it).
		echo "truncated ${delay}s after the start: too late (exit 0)"
		continue
		;;
	1)
		echo "truncated ${delay}s after the start: mcp exit 1"
		hit=yes
		break
		;;
	*)
		show_output
		fail "$(describe_status "$BG_RC"), expected 1 (or 0, too fast)"
		;;
	esac
done
[ -n "$hit" ] || skip "every copy ended before the source was truncated"
expect_stderr "mcp: src: file changed during copy"
no_leftovers . src
