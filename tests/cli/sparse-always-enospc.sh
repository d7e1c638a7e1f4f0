#!/bin/sh
# --sparse=always reserves nothing, because the pages of zeros it will
# leave unwritten are known only while copying: SOURCE's zeros need no
# room on DEST's disk (where auto, which reserves SOURCE's data, fails up
# front), and a full disk met during the copy is still reported as "No
# space left on device", exit 1, no DEST.  Needs root for a small tmpfs.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
mkdir mnt
mount -t tmpfs -o size=16m mcp-test "$WORK/mnt" 2>/dev/null ||
	skip "cannot mount a tmpfs"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"

# 32 MiB of zeros written as data, and 1 MiB of random bytes in them.
dd if=/dev/zero of=zeros bs=1M count=32 status=none ||
	hard_error "cannot write zeros"
head -c 1048576 /dev/urandom |
	dd of=zeros bs=1M seek=7 conv=notrunc status=none ||
	hard_error "cannot write into zeros"

expect_exit 1 "$MCP" -j 2 zeros mnt/dst
expect_stderr "mcp: mnt/dst: No space left on device"
no_leftovers mnt

expect_exit 0 "$MCP" -j 2 --sparse=always zeros mnt/dst
expect_silent
expect_same zeros mnt/dst
rm -f mnt/dst

# Data that does not fit: the worker that meets the full disk says so.
random_file src 33554432
expect_exit 1 "$MCP" -j 2 --sparse=always src mnt/dst
expect_no_stdout
expect_stderr "mcp: mnt/dst: No space left on device"
no_leftovers mnt
