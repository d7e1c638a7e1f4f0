#!/bin/sh
# A SIGTERM during a long step before the workers run is acted on when
# that step ends: mcp dies by SIGTERM with no DEST, and copies nothing
# more.  faultfs holds DEST's fallocate (the space reservation, minutes
# for terabytes on some file systems), or the fdatasync of --no-sync
# --verify, until the test lets it go, after the signal; it also logs
# every read and write of DEST.  Once, the signal was only acted on after the
# whole copy (every byte written) or the whole comparison: the handler
# recorded it, and the workers were forked regardless.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
need_env_signals
GO_FALLOC=$TMP/x/go-fallocate
GO_FSYNC=$TMP/x/go-fsync
mount_faultfs mnt --hold-fallocate="$GO_FALLOC" --hold-fsync="$GO_FSYNC" \
	--log-io
LOG=$LIB_FUSE_LOG
random_file src 8388608

# wait_log SINCE TEXT: wait until the log, past its first SINCE lines,
# holds TEXT, while the background mcp still runs.
wait_log() {
	lib_steps=$((MCP_LIMIT * 100))
	[ -z "${MCP_VALGRIND:-}" ] || lib_steps=$((lib_steps * 10))
	while ! tail -n +"$(($1 + 1))" "$LOG" | grep -F -q -e "$2"; do
		kill -0 "$BG_PID" 2>/dev/null || {
			finish_copy
			show_output
			fail "mcp ended ($(describe_status "$BG_RC")) before '$2'"
		}
		lib_steps=$((lib_steps - 1))
		[ "$lib_steps" -gt 0 ] || fail "no '$2' in the faultfs log"
		sleep 0.01
	done
}

# terminated_during OP GO WHAT: SIGTERM the background mcp once faultfs
# holds OP, then let OP go (touch GO): mcp must die by SIGTERM and leave
# no DEST.
terminated_during() {
	: >"$OUT"
	wait_log "$since" "faultfs: $1 held"
	kill -s TERM "$BG_PID"
	touch "$2"
	finish_copy
	if [ "$BG_RC" != 143 ]; then
		show_output
		fail "$3: $(describe_status "$BG_RC"), expected 143 (SIGTERM)"
	fi
	no_leftovers mnt/out
}

for j in 1 4; do
	# SIGTERM during the reservation: nothing is copied, nothing said
	# (-v would name the workers of a copy that started).
	rm -f "$GO_FALLOC" "$GO_FSYNC"
	since=$(wc -l <"$LOG")
	mcp_bg -v -j "$j" src mnt/out/dst
	terminated_during fallocate "$GO_FALLOC" "-j $j, SIGTERM in fallocate"
	expect_silent
	if tail -n +"$((since + 1))" "$LOG" | grep -F -q "faultfs: write "; then
		fail "-j $j: data was written after SIGTERM in fallocate"
	fi

	# SIGTERM during the fdatasync of --no-sync --verify: no comparison,
	# which would read DEST back.
	touch "$GO_FALLOC"
	since=$(wc -l <"$LOG")
	mcp_bg -v --no-sync --verify -j "$j" src mnt/out/dst
	terminated_during fsync "$GO_FSYNC" \
		"--no-sync --verify -j $j, SIGTERM in fdatasync"
	expect_no_stdout
	since=$(grep -n -F "faultfs: fsync held" "$LOG" | tail -n 1 | cut -d: -f1)
	if tail -n +"$since" "$LOG" | grep -F -q "faultfs: read "; then
		fail "--verify -j $j: DEST was read back after SIGTERM in fdatasync"
	fi
done

# The control: let go at once, the copies complete.
touch "$GO_FALLOC" "$GO_FSYNC"
expect_exit 0 run_mcp -j 4 --no-sync --verify src mnt/out/dst
expect_silent
expect_same src mnt/out/dst
