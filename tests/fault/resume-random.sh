#!/bin/sh
# --resume after an interruption at a random moment, 24 runs cycling
# SIGKILL of mcp, SIGKILL of a worker, SIGINT and SIGTERM: the rerun
# with --resume (with another -j) always ends with DEST byte-identical
# and nothing left beside it, and copies only what the journal did not
# record (bytes + resumed_bytes = the size).  Whatever the first run
# left is one of: nothing (it finished, or was stopped before a chunk was
# recorded), or the partial file with its journal; never DEST unless it
# is complete.  After a caught interruption with chunks recorded, mcp
# said how far it got.  Needs no root.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

need_cmd pgrep od python3
need_env_signals
RUNS=${MCP_FAULT_RUNS:-24}
SIZE=67108864
random_file src "$SIZE"
# The journal every 20 ms, so that short copies record something.
ARGS="--resume --journal-interval=20 -c 256K"
# shellcheck disable=SC2086 # a list of plain words
SPAN=$(time_ms "$MCP" $ARGS -j 4 src dst-timed)
rm -f dst-timed
echo "mcp $ARGS -j 4 takes about $SPAN ms here; $RUNS runs"

json_field() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$OUT" "$1"
}

i=0
while [ "$i" -lt "$RUNS" ]; do
	case $((i % 4)) in
	0) how=KILL ;;
	1) how=worker ;;
	2) how=INT ;;
	*) how=TERM ;;
	esac
	dst=dst-$i
	# shellcheck disable=SC2086 # a list of plain words
	mcp_bg $ARGS -j 4 src "$dst"
	ms=$(random_below $((SPAN + SPAN / 4 + 1)))
	sleep_ms "$ms"
	if [ "$how" = worker ]; then
		victim=$(pgrep -P "$BG_PID" | head -n 1) || :
		[ -z "$victim" ] || kill -s KILL "$victim" 2>/dev/null || :
	else
		kill -s "$how" "$BG_PID" 2>/dev/null || :
	fi
	finish_copy
	expect_no_procs "$dst" 2000
	echo "run $i: $how after $ms ms: $(describe_status "$BG_RC")"
	case $how/$BG_RC in
	*/0) count_outcome finished ;;
	KILL/137 | worker/1 | INT/130 | TERM/143) count_outcome stopped ;;
	*) show_output; fail "run $i: $(describe_status "$BG_RC") after $how" ;;
	esac
	if [ "$BG_RC" = 0 ]; then
		expect_same src "$dst"
		no_leftovers . src "$dst"
		rm "$dst"
	elif [ -e ".$dst.mcp-journal" ]; then
		[ ! -e "$dst" ] || fail "run $i: $dst exists beside a journal"
		[ -f ".$dst.mcp-partial" ] || fail "run $i: a journal without a partial file"
		no_leftovers . src ".$dst.mcp-partial" ".$dst.mcp-journal"
		[ "$how" = KILL ] || grep -q "^mcp: $dst: copy interrupted, .* of 64.0 MiB done; run the same command with --resume to continue$" "$ERR" ||
			{ show_output; fail "run $i: no 'copy interrupted' line"; }
	else
		# Nothing recorded (or killed before the first journal):
		# at most a partial file no journal speaks for, from a
		# SIGKILL, which the next run cannot prove ours.
		[ ! -e "$dst" ] || fail "run $i: $dst exists after $how"
		[ "$how" = KILL ] || no_leftovers . src
	fi
	# The rerun completes whatever the first left.
	expect_exit 0 "$MCP" --resume --json -j 3 src "$dst"
	expect_same src "$dst"
	resumed=$(json_field resumed_bytes)
	copied=$(json_field bytes)
	[ $((resumed + copied)) = "$SIZE" ] ||
		fail "run $i: copied $copied + resumed $resumed is not $SIZE"
	echo "run $i: rerun copied $copied, resumed $resumed"
	[ "$resumed" = 0 ] || count_outcome resumed
	[ "$resumed" -le $((SIZE / 2)) ] || count_outcome resumed_over_half
	rm -f "$dst" ".$dst.mcp-partial"
	no_leftovers . src
	i=$((i + 1))
done
tally finished stopped resumed resumed_over_half
[ "${TALLY_stopped:-0}" -gt 0 ] || skip "every copy ended before its interruption"
