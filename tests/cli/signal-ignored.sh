#!/bin/sh
# A terminating signal that was ignored when mcp started stays ignored,
# as with cp: "nohup mcp ..." survives the hangup, and "mcp ... &" in a
# script is not stopped by SIGINT.  The copy goes on and succeeds.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep
need_env_signals
# Small chunks (-c 64K) make each copy take seconds, long enough to be
# signalled mid-copy whatever the disk.
random_file big 314572800

# survives SIG JOBS: mcp -j JOBS started with SIG ignored copies on after
# receiving it.
survives() {
	rm -f dst
	if [ "$2" = 1 ]; then
		start_copy 0 "--ignore-signal=$1" -- -j 1 -c 64K big dst
		sleep 0.1
	else
		start_copy "$2" "--ignore-signal=$1" -- -j "$2" -c 64K big dst
	fi
	sleep 0.1
	kill -0 "$BG_PID" 2>/dev/null ||
		skip "the copy ended before SIG$1 could be sent"
	kill -s "$1" "$BG_PID"
	finish_copy
	if [ "$BG_RC" != 0 ]; then
		show_output
		fail "SIG$1 (ignored), -j $2: $(describe_status "$BG_RC"), expected 0"
	fi
	[ ! -s "$ERR" ] ||
		{ show_output; fail "SIG$1 (ignored), -j $2: stderr not empty"; }
	expect_same big dst
}

# One process: no workers to wait for.
survives HUP 1
survives INT 1
# The parent waits for its workers with the signals blocked.
survives HUP 2
survives INT 2
survives TERM 2
