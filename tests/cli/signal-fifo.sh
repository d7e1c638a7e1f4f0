#!/bin/sh
# SIGINT, SIGTERM or SIGHUP while mcp waits on a FIFO that never gets
# data: it stops within a second, removes the DEST it created and dies by
# the same signal.  With a writer holding the FIFO open (the read itself
# waits) and with no writer at all; and while a FIFO DEST waits for a
# reader, which it leaves in place.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_env_signals
mkfifo fifo

# interrupt SIG STATUS: signal `mcp fifo dst`, blocked on the FIFO.
interrupt() {
	env --default-signal=INT,TERM,HUP "$MCP" fifo dst 2>"$ERR" &
	BG_PID=$!
	i=0
	until [ -e dst ]; do
		[ "$i" -lt 250 ] || fail "SIG$1: mcp did not create dst in 5 s"
		kill -0 "$BG_PID" 2>/dev/null || { finish_copy; show_output;
			fail "SIG$1: mcp ended early: $(describe_status "$BG_RC")"; }
		sleep 0.02
		i=$((i + 1))
	done
	# Let it settle into its wait for data.
	sleep 0.3
	kill -0 "$BG_PID" 2>/dev/null || fail "SIG$1: mcp did not wait for data"
	t0=$(date +%s%N)
	kill -s "$1" "$BG_PID"
	finish_copy
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$BG_RC" != "$2" ]; then
		show_output
		fail "SIG$1: $(describe_status "$BG_RC"), expected $2"
	fi
	[ "$ms" -lt 1000 ] || fail "SIG$1: mcp took $ms ms to stop"
	[ ! -s "$ERR" ] || { show_output; fail "SIG$1: mcp printed something"; }
	no_leftovers . fifo
}

# A writer that never writes: fd 3 holds the FIFO open read-write.
exec 3<>fifo
interrupt INT 130
interrupt TERM 143
interrupt HUP 129
exec 3>&-

# No writer at all.
interrupt INT 130

# A FIFO DEST with no reader: mcp waits in its open.  valgrind holds a
# signal back until a blocked open(2) of a FIFO returns, which it never
# does here: that case runs only outside make check-valgrind.
if [ -n "${MCP_VALGRIND:-}" ]; then
	echo "FIFO DEST case not run: valgrind delays signals during open(2)"
	exit 0
fi
random_file src 1000
env --default-signal=INT,TERM,HUP "$MCP" src fifo 2>"$ERR" &
BG_PID=$!
sleep 0.5
kill -0 "$BG_PID" 2>/dev/null || fail "mcp src fifo did not wait for a reader"
t0=$(date +%s%N)
kill -s INT "$BG_PID"
finish_copy
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$BG_RC" = 130 ] || { show_output; fail "FIFO DEST: $(describe_status "$BG_RC"), expected 130"; }
[ "$ms" -lt 1000 ] || fail "FIFO DEST: mcp took $ms ms to stop"
[ ! -s "$ERR" ] || { show_output; fail "FIFO DEST: mcp printed something"; }
[ -p fifo ] || fail "the FIFO DEST was removed"
no_leftovers . fifo src
