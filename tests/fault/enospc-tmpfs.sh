#!/bin/sh
# A full tmpfs, beyond tests/cli/enospc.sh's cases: -j 8, --atomic (the
# old DEST kept byte for byte, no temporary file), --sparse=always
# (nothing reserved: a worker meets the full file system and its SIGBUS
# is reported as "No space left on device"), --no-sync and --verify, and
# mixes of them.  Each fails with exit 1 and that one line, leaves no DEST
# and gives the space back; a SOURCE that fits still copies, verified.
# Needs root to mount a small tmpfs.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

need_root
mkdir mnt
mount -t tmpfs -o size=16m mcp-test "$WORK/mnt" 2>"$TMP/x/mount" ||
	skip "cannot mount a tmpfs: $(cat "$TMP/x/mount")"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"

room=$(($(free_blocks) * $(stat -f -c %S mnt)))
random_file src 33554432

full_disk_setup 0

# Eight workers: a new DEST, an existing one, into the directory.
fails_full mnt/dst -j 8 src mnt/dst
random_file mnt/small 10
fails_full mnt/small -j 8 src mnt/small
fails_full mnt/src -j 8 src mnt

# --atomic: the old DEST survives, no temporary file is left.
for j in 1 8; do
	fails_full mnt/old --atomic -j "$j" src mnt/old
done
fails_full mnt/src --atomic -j 8 src mnt

# --sparse=always reserves nothing: the worker (mcp itself with -j 1)
# meets the full file system mid-copy.
for j in 1 8; do
	fails_full mnt/dst --sparse=always -j "$j" src mnt/dst
done
random_file mnt/small 10
fails_full mnt/small --sparse=always -j 8 src mnt/small
fails_full mnt/src --sparse=always -j 2 src mnt
fails_full mnt/old --sparse=always --atomic -j 1 src mnt/old
fails_full mnt/old --sparse=always --atomic -j 8 src mnt/old

# --no-sync: the same, whether it fails up front or in the page cache.
for j in 1 2 8; do
	fails_full mnt/dst --no-sync -j "$j" src mnt/dst
done
fails_full mnt/dst --no-sync --sparse=always -j 8 src mnt/dst
fails_full mnt/old --no-sync --atomic -j 2 src mnt/old

# --verify: nothing is verified, the copy never completed.
for j in 1 2 8; do
	fails_full mnt/dst --verify -j "$j" src mnt/dst
done
fails_full mnt/dst --verify --sparse=always -j 8 src mnt/dst
fails_full mnt/old --verify --atomic -j 2 src mnt/old
fails_full mnt/dst --verify --no-sync -j 2 src mnt/dst

# The file system works: 60% of the free space copies, and verifies.
random_file fits $((room * 6 / 10 / 4096 * 4096 + 1234))
for j in 1 8; do
	expect_exit 0 "$MCP" --verify -j "$j" fits mnt/fits
	expect_silent
	expect_same fits mnt/fits
	no_leftovers mnt old fits
	rm mnt/fits
done
