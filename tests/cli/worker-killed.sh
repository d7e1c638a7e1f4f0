#!/bin/sh
# A worker that dies (here: SIGKILL, as the OOM killer does) fails the
# whole copy: exit 1, one line naming the worker and the signal, no DEST.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep
need_env_signals
# Small chunks (-c 64K) make each copy take seconds, long enough to be
# signalled mid-copy whatever the disk.
random_file big 314572800

start_copy 2 -- -j 2 -c 64K big dst
workers=$BG_WORKERS
victim=${workers%% *}
echo "mcp pid $BG_PID, workers: $workers, killing $victim"
sleep 0.1
kill -0 "$BG_PID" 2>/dev/null || skip "the copy ended before the kill"
kill -s KILL "$victim"
parent=$BG_PID
finish_copy
if [ "$BG_RC" != 1 ]; then
	show_output
	fail "$(describe_status "$BG_RC"), expected 1"
fi
cat "$ERR"
expect_stderr_has "(pid $victim) was killed by signal 9"
grep -q '^mcp: dst: copy worker [0-9]* (pid [0-9]*) was killed by signal 9' \
	"$ERR" || { show_output; fail "the line does not name dst and the worker"; }
no_leftovers . big
left=$(pgrep -P "$parent") || :
[ -z "$left" ] || fail "mcp left workers: $left"
# shellcheck disable=SC2086 # a list of pids
expect_gone $workers
