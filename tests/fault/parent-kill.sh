#!/bin/sh
# SIGKILL of mcp itself, which nothing can catch, at a random moment of
# the copy, 20 runs: every worker is gone within a second of the parent
# (they die with it: PR_SET_PDEATHSIG).  With --atomic, DEST is one of
# two things: the old DEST byte for byte, or (a kill just after the
# rename) the complete new copy; never anything between.  Where the file
# system has O_TMPFILE, an incomplete copy was never linked, so the only
# name that can be left beside DEST is a complete copy (a kill between
# linking the finished file and renaming it).  Without --atomic the
# incomplete DEST is left, mode 0600 (documented; not tested further).
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

signal_setup 20 -j 4 -c 256K
# Whether this file system gives --atomic an unnamed temporary file
# (O_TMPFILE); elsewhere a killed --atomic copy leaves .DEST.mcp-XXXXXX.
case $(stat -f -c %T .) in
tmpfs | ext2/ext3 | xfs | btrfs) tmpfile=yes ;;
*) tmpfile=no ;;
esac

# atomic_outcome DST: after a SIGKILL, DST is the old DEST or the whole
# new copy, and any temporary file left is complete (O_TMPFILE) or was
# at least never DST.
atomic_outcome() {
	if cmp -s old.orig "$1"; then
		count_outcome old_kept
	elif cmp -s src "$1"; then
		count_outcome renamed
	else
		fail "$1: neither the old DEST nor the complete copy"
	fi
	[ "$tmpfile" = yes ] || return 0
	for t in ./."$1".mcp-*; do
		[ -e "$t" ] || continue
		count_outcome linked
		cmp -s src "$t" || fail "$t: an incomplete copy has a name"
	done
}

i=0 killed=0
while [ "$i" -lt "$RUNS" ]; do
	dst=dst-$i
	if [ $((i % 2)) = 1 ]; then
		mode=atomic
		cp old.orig "$dst"
		mcp_bg -j 4 -c 256K --atomic src "$dst"
	else
		mode=plain
		mcp_bg -j 4 -c 256K src "$dst"
	fi
	ms=$(random_below "$SPAN")
	sleep_ms "$ms"
	workers=$(pgrep -P "$BG_PID" | tr '\n' ' ') || :
	kill -s KILL "$BG_PID" 2>/dev/null || :
	finish_copy
	echo "mcp killed after $ms ms, $mode, workers $workers:" \
		"$(describe_status "$BG_RC")"
	[ "$BG_RC" = 0 ] || [ "$BG_RC" = 137 ] ||
		{ show_output; fail "$(describe_status "$BG_RC")"; }
	[ "$BG_RC" = 0 ] || killed=$((killed + 1))
	expect_no_procs "$dst" 1000
	if [ "$BG_RC" = 0 ]; then
		expect_same src "$dst"
	elif [ "$mode" = atomic ]; then
		atomic_outcome "$dst"
	fi
	rm -f "$dst" ./."$dst".mcp-*
	no_leftovers . src old old.orig
	i=$((i + 1))
done
echo "killed mid-copy: $killed of $RUNS"
tally old_kept renamed linked
[ "$killed" -gt 0 ] || skip "every copy ended before its kill"
