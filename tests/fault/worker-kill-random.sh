#!/bin/sh
# SIGKILL of one worker (what the OOM killer does) at a random moment,
# 24 runs cycling through a plain copy, --atomic over an old DEST and
# --verify (whose compare has workers of its own).  Each run ends with
# exit 1, one line naming DEST and the killed worker, no DEST (with
# --atomic: the old one, no temporary file) and no worker left; or, when
# the victim had already finished its share, exit 0 and DEST identical.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

signal_setup 24 -j 4 -c 256K --verify

# The pids of BG_PID's children, once there are any (at most 2 s).
children() {
	lib_k=0
	while [ "$lib_k" -lt 200 ]; do
		kids=$(pgrep -P "$BG_PID" | tr '\n' ' ') || :
		[ -z "$kids" ] || { echo "$kids"; return 0; }
		kill -0 "$BG_PID" 2>/dev/null || return 0
		sleep 0.01
		lib_k=$((lib_k + 1))
	done
}

one_run() {
	ms=$1 mode=$2 dst=dst-$3
	mcp_bg_mode "$mode" "$dst"
	sleep_ms "$ms"
	kids=$(children)
	# shellcheck disable=SC2086 # a list of pids
	victim=$(printf '%s\n' $kids | shuf -n 1)
	[ -z "$victim" ] || kill -s KILL "$victim" 2>/dev/null || :
	finish_copy
	echo "worker ${victim:-(none left)} killed after $ms ms, $mode:" \
		"$(describe_status "$BG_RC")"
	expect_no_procs "$dst" 1000
	case $BG_RC in
	0)
		count_outcome finished
		expect_silent
		expect_same src "$dst"
		;;
	1)
		count_outcome failed
		grep -q "^mcp: $dst: copy worker [0-9]* (pid $victim) was killed by signal 9" \
			"$ERR" || { show_output; fail "no line naming $dst and pid $victim"; }
		if [ "$mode" = atomic ]; then
			cmp old.orig "$dst" || fail "$dst: the old DEST changed"
		else
			[ ! -e "$dst" ] || fail "$dst left after its worker was killed"
		fi
		;;
	*)
		show_output
		fail "$(describe_status "$BG_RC"), expected 1 (or 0)"
		;;
	esac
	rm -f "$dst"
	no_leftovers . src old old.orig
}

i=0
while [ "$i" -lt "$RUNS" ]; do
	one_run "$(random_below "$SPAN")" "$(mode_of "$i")" "$i"
	i=$((i + 1))
done
tally failed finished
[ "${TALLY_failed:-0}" -gt 0 ] || skip "every worker ended before its kill"
