#!/bin/sh
# SIGINT, SIGTERM and SIGHUP at random moments of a copy, 24 runs each,
# the runs cycling through a plain copy, --atomic over an old DEST and
# --verify.  Each run must end one of two ways: mcp died of the signal
# (status 128+N) and left no DEST (with --atomic: the old DEST byte for
# byte, no temporary file), or the copy had already finished (exit 0,
# DEST identical; or, for a signal in the moment after the copy was
# complete, death by the signal with DEST identical).  Never a partial
# DEST, never a worker left.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

signal_setup 24 -j 4 -c 256K --verify
# Mostly within the copy, some at its start or after its end.
span=$((SPAN * 3 / 2 + 10))

# One run: signal `sig` after `ms` ms, in mode `mode`.
one_run() {
	sig=$1 ms=$2 mode=$3 dst=dst-$sig-$4
	mcp_bg_mode "$mode" "$dst"
	sleep_ms "$ms"
	kill -s "$sig" "$BG_PID" 2>/dev/null || :
	finish_copy
	echo "$sig after $ms ms, $mode: $(describe_status "$BG_RC")"
	expect_no_procs "$dst" 1000
	if [ "$BG_RC" = 0 ]; then
		count_outcome finished
		[ -s "$ERR" ] && { show_output; fail "exit 0 with output"; }
		expect_same src "$dst"
	elif [ "$BG_RC" != "$(sig_status "$sig")" ]; then
		show_output
		fail "$sig after $ms ms, $mode: $(describe_status "$BG_RC")"
	elif [ -e "$dst" ] && cmp -s src "$dst"; then
		# The signal came once the copy was complete (after the
		# rename, with --atomic), as mcp was about to exit.
		count_outcome late
	elif [ "$mode" = atomic ]; then
		count_outcome stopped
		cmp old.orig "$dst" || fail "$dst: the old DEST changed"
	else
		count_outcome stopped
		[ ! -e "$dst" ] || fail "$dst left after $sig"
	fi
	rm -f "$dst"
	no_leftovers . src old old.orig
}

for sig in INT TERM HUP; do
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		one_run "$sig" "$(random_below "$span")" "$(mode_of "$i")" "$i"
		i=$((i + 1))
	done
done
tally stopped finished late
[ "${TALLY_stopped:-0}" -gt 0 ] || skip "every copy ended before its signal"
