#!/bin/sh
# SIGINT, SIGTERM or SIGHUP during an --atomic copy: mcp dies by the
# signal, the old DEST is byte for byte as it was (same inode), and no
# temporary file remains.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep
need_env_signals
# Small chunks (-c 64K) make the copy take seconds, long enough to be
# signalled mid-copy whatever the disk.
random_file big 314572800
random_file dst 4096
cp dst saved
inode=$(stat -c %i dst)

# interrupt SIG STATUS
interrupt() {
	start_copy 2 -- --atomic -j 2 -c 64K big dst
	workers=$BG_WORKERS
	sleep 0.2
	kill -0 "$BG_PID" 2>/dev/null ||
		skip "the copy ended before SIG$1 could be sent"
	kill -s "$1" "$BG_PID"
	parent=$BG_PID
	finish_copy
	if [ "$BG_RC" != "$2" ]; then
		show_output
		fail "SIG$1: $(describe_status "$BG_RC"), expected $2"
	fi
	[ ! -s "$ERR" ] || { show_output; fail "SIG$1: printed on stderr"; }
	expect_same saved dst
	[ "$(stat -c %i dst)" = "$inode" ] || fail "SIG$1: dst was replaced"
	no_leftovers . big dst saved
	left=$(pgrep -P "$parent") || :
	[ -z "$left" ] || fail "SIG$1: mcp left workers: $left"
	# shellcheck disable=SC2086 # a list of pids
	expect_gone $workers
}

interrupt INT 130
interrupt TERM 143
interrupt HUP 129
