#!/bin/sh
# The workers are named mcp-worker (prctl PR_SET_NAME), so that
# pgrep -x mcp, pkill -USR1 -x mcp and top find the parent only.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep
need_env_signals
# Small chunks (-c 64K) make the copy take long enough to look at it.
random_file big 314572800

start_copy 2 -- -j 2 -c 64K big dst
seen=0
for w in $BG_WORKERS; do
	# A worker may have finished in the meantime: no comm to read.
	name=$(cat "/proc/$w/comm" 2>/dev/null) || continue
	[ "$name" = mcp-worker ] || fail "worker $w is named '$name'"
	seen=$((seen + 1))
done
# Other mcp runs may be going on: only ours matter here.  Under
# valgrind the parent is named after valgrind's tool, not mcp.
if [ -z "${MCP_VALGRIND:-}" ]; then
	mcps=" $(pgrep -x mcp | tr '\n' ' ') "
	for w in $BG_WORKERS; do
		case $mcps in
		*" $w "*) fail "pgrep -x mcp finds worker $w" ;;
		esac
	done
	if kill -0 "$BG_PID" 2>/dev/null; then
		parent=$(cat "/proc/$BG_PID/comm" 2>/dev/null) || parent=mcp
		[ "$parent" = mcp ] || fail "the parent is named '$parent'"
	fi
fi
finish_copy
[ "$BG_RC" = 0 ] || { show_output; fail "$(describe_status "$BG_RC")"; }
expect_same big dst
rm -f big dst
[ "$seen" -gt 0 ] || skip "the workers ended before they were looked at"
