#!/bin/sh
# -P into a stderr nobody reads (a stalled ssh session, Ctrl-S, a pager
# left open): a FIFO whose reader never reads, full before mcp starts.
# SIGTERM must still stop the copy: mcp dies by SIGTERM within a few
# seconds and removes DEST (a copy that had already finished may stay,
# complete).  Once, the progress line was written with the terminating
# signals blocked, the write waited for ever, and only SIGKILL stopped
# mcp, leaving a full-size partial DEST.  Also with a SIGUSR1 status
# line asked for, which must not wait either.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep mkfifo dd
need_env_signals
random_file big 134217728
mkfifo "$TMP/x/fifo"
# Our own end, read-write so that opening it never waits; never read.
exec 3<>"$TMP/x/fifo"
# Fill the pipe: write until it would block.
dd if=/dev/zero of="$TMP/x/fifo" bs=4096 count=4096 oflag=nonblock \
	status=none 2>/dev/null || :

# stalled JOBS [usr1]: copy with -P into the full FIFO, SIGTERM it.
stalled() {
	env --default-signal=INT,TERM,HUP "$MCP" -P --progress-interval=0 \
		-j "$1" -c 64K big dst 2>"$TMP/x/fifo" 3<&- &
	BG_PID=$!
	# Let it start its workers and try a few progress lines.
	i=0
	while [ "$i" -lt 250 ] && [ ! -e dst ]; do
		sleep 0.02
		i=$((i + 1))
	done
	settle
	sleep 0.3
	if [ "${2:-}" = usr1 ]; then
		kill -s USR1 "$BG_PID" 2>/dev/null || :
		sleep 0.2
	fi
	kill -s TERM "$BG_PID" 2>/dev/null || :
	# 10 s (100 s under valgrind), far more than it needs.
	limit=500
	[ -z "${MCP_VALGRIND:-}" ] || limit=5000
	i=0
	while kill -0 "$BG_PID" 2>/dev/null; do
		[ "$i" -lt "$limit" ] ||
			fail "-j $1 ${2:-}: SIGTERM did not stop mcp, stderr full"
		sleep 0.02
		i=$((i + 1))
	done
	finish_copy
	[ "$BG_RC" = 143 ] ||
		fail "-j $1 ${2:-}: $(describe_status "$BG_RC"), expected 143"
	if [ -e dst ]; then # it had finished: complete
		expect_same big dst
		rm dst
	fi
	no_leftovers . big
}

stalled 1
stalled 2
# Under valgrind a SIGTERM after a SIGUSR1 did not end mcp within 100 s
# (valgrind holds some signals back while a system call blocks, as with
# the FIFO open of signal-fifo.sh); that case runs outside
# make check-valgrind only.
[ -n "${MCP_VALGRIND:-}" ] || stalled 2 usr1
