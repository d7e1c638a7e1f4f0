#!/bin/sh
# A full disk that is then freed: with --sparse=always nothing is
# reserved up front, so the workers meet the full tmpfs mid-copy; mcp
# fails (exit 1), keeps the partial file and its journal and says how
# far it got.  Once space is freed, the same command with --resume
# copies only the rest: DEST byte-identical, nothing left beside it.
# Where the space is reserved up front (the default), a full disk fails
# before a chunk is copied, and nothing is left at all.  Needs root to
# mount a small tmpfs.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

need_root
need_cmd python3
mkdir mnt
mount -t tmpfs -o size=24m mcp-test "$WORK/mnt" 2>"$TMP/x/mount" ||
	skip "cannot mount a tmpfs: $(cat "$TMP/x/mount")"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"

SIZE=16777216
random_file src "$SIZE"
random_file mnt/filler 12582912

# Reserved up front: nothing copied, nothing left.
expect_exit 1 "$MCP" --resume -j 2 src mnt/dst
expect_stderr "mcp: mnt/dst: No space left on device"
no_leftovers mnt filler

# Met mid-copy: the partial copy stays, and mcp says so.  Updating the
# journal fails too once the disk is full (a warning); the journal keeps
# what it recorded before.  A tmpfs fills within the workers' first
# tick, before the parent hears of any chunk; -j 1 copies in mcp's own
# process, which records each chunk as it goes, as a copy that runs for
# longer than a second records them with any -j.
expect_exit 1 "$MCP" --resume --sparse=always --journal-interval=0 -j 1 \
	-c 256K src mnt/dst
cat "$ERR"
grep -q '^mcp: mnt/dst: No space left on device$' "$ERR" ||
	{ show_output; fail "no 'No space left on device' line"; }
grep -q '^mcp: mnt/dst: copy interrupted, .* of 16.0 MiB done; run the same command with --resume to continue$' "$ERR" ||
	{ show_output; fail "no 'copy interrupted' line"; }
no_leftovers mnt filler .dst.mcp-partial .dst.mcp-journal

# Space freed: the rest is copied, no more.
rm mnt/filler
expect_exit 0 "$MCP" --resume --json -j 3 src mnt/dst
expect_same src mnt/dst
no_leftovers mnt dst
python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
print("rerun: copied", o["bytes"], "resumed", o["resumed_bytes"])
assert o["resumed_bytes"] > 0, o
assert o["bytes"] + o["resumed_bytes"] == int(sys.argv[2]), o
' "$OUT" "$SIZE" || fail "the rerun did not resume: $(cat "$OUT")"
