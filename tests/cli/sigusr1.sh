#!/bin/sh
# SIGUSR1 during a copy prints dd's summary line (so far) on stderr and
# the copy goes on, as with dd: exit 0, DEST byte-identical.  No option
# is needed.  Workers are not killed by it either, even when the signal
# reaches them.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep
need_env_signals
# dd's line: "N bytes (SI, IEC) copied, T s, R B/s", shorter when small.
LINE='^[0-9]+ bytes? (\([0-9.]+ [kMGTPE]B(, [0-9.]+ [KMGTPE]iB)?\) )?'
LINE=$LINE'copied, [0-9.]+(e[-+][0-9]+)? s, [0-9.]+ [kMGTPE]?B/s$'
# Small chunks (-c 64K) make the copy take seconds; under valgrind,
# which waits a second before the first signal, a bigger file does.
if [ -n "${MCP_VALGRIND:-}" ]; then
	random_file big 629145600
else
	random_file big 157286400
fi

# status JOBS [workers]: signal mcp -j JOBS twice (and its workers too).
status() {
	rm -f dst
	start_copy "$(($1 > 1 ? $1 : 0))" -- -j "$1" -c 64K big dst
	settle
	kill -s USR1 "$BG_PID" 2>/dev/null ||
		skip "the copy ended before SIGUSR1 could be sent"
	if [ "${2:-}" = workers ]; then
		# shellcheck disable=SC2086 # a list of pids
		kill -s USR1 $BG_WORKERS 2>/dev/null || :
	fi
	sleep 0.2
	kill -s USR1 "$BG_PID" 2>/dev/null || :
	finish_copy
	[ "$BG_RC" = 0 ] ||
		{ show_output; fail "-j $1: $(describe_status "$BG_RC"), expected 0"; }
	expect_same big dst
	n=$(grep -c '' "$ERR") || :
	if [ "$n" -lt 1 ] || [ "$n" -gt 2 ]; then
		show_output
		fail "-j $1: $n lines on stderr, expected 1 or 2"
	fi
	if grep -E -v -e "$LINE" "$ERR" >&2; then
		fail "-j $1: lines unlike dd's (above)"
	fi
}

status 1
status 2
status 2 workers
