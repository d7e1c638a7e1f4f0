#!/bin/sh
# SIGINT, SIGTERM and SIGHUP during a copy: mcp stops its workers, removes
# the incomplete DEST, and dies by the same signal (status 128 + N), so
# the shell that ran it knows it was interrupted.  SIGINT is also sent to
# the whole process group, as Ctrl-C at a terminal does.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep setsid
need_env_signals
# Big enough that a durable copy (msync of every window) is still running
# a good while after its workers start.
# Small chunks (-c 64K) make each copy take seconds, long enough to be
# signalled mid-copy whatever the disk.
random_file big 314572800

# interrupt SIG STATUS [group]: signal a copy in progress and check how
# it ended.
interrupt() {
	if [ "${3:-}" = group ]; then
		start_copy 2 setsid -- -j 2 -c 64K big dst
	else
		start_copy 2 -- -j 2 -c 64K big dst
	fi
	workers=$BG_WORKERS
	sleep 0.2
	kill -0 "$BG_PID" 2>/dev/null ||
		skip "the copy ended before SIG$1 could be sent"
	[ -e dst ] || fail "SIG$1: no dst while copying"
	if [ "${3:-}" = group ]; then
		kill -s "$1" -- "-$BG_PID"
	else
		kill -s "$1" "$BG_PID"
	fi
	parent=$BG_PID
	finish_copy
	if [ "$BG_RC" != "$2" ]; then
		show_output
		fail "SIG$1 ${3:-}: $(describe_status "$BG_RC"), expected $2"
	fi
	no_leftovers . big
	left=$(pgrep -P "$parent") || :
	[ -z "$left" ] || fail "SIG$1: mcp left workers: $left"
	# shellcheck disable=SC2086 # a list of pids
	expect_gone $workers
}

interrupt INT 130
interrupt TERM 143
interrupt HUP 129
interrupt INT 130 group
interrupt TERM 143 group
