#!/bin/sh
# A DEST whose owner is at a disk quota: "mcp: DEST: Disk quota
# exceeded", exit 1, no DEST, whichever call meets it.  faultfs
# --quota-at=4M refuses each file of /out/ its blocks from 4 MiB on, as
# a file system at a user's quota does: fallocate fails with EDQUOT, so
# the reservation fails up front; with --sparse=always nothing is
# reserved, and the worker's write into the mapping meets it as a
# SIGBUS, which carries no errno.  mcp then asks the file system for the
# page (fallocate), which says EDQUOT.  It used to guess from statvfs
# alone, which sees a disk with room, and said "Input/output error".
# tests/fault/quota-ext4.sh does the same with a real quota, where the
# kernel has them.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mnt --quota-at=4M
random_file src 8388608
random_file small 1048576
random_file old 100000
E="Disk quota exceeded"

# The control: under the quota, a copy works.
expect_exit 0 run_mcp -j 4 --sparse=always small mnt/out/dst
expect_silent
expect_same small mnt/out/dst
rm mnt/out/dst

# quota_fails DEST-AS-PRINTED MCP_ARG...: exactly that line, no DEST.
quota_fails() {
	lib_name=$1
	shift
	expect_exit 1 run_mcp "$@"
	expect_no_stdout
	expect_stderr "mcp: $lib_name: $E"
	no_leftovers mnt/out
}

for j in 1 4; do
	quota_fails mnt/out/dst -j "$j" src mnt/out/dst
	quota_fails mnt/out/dst -j "$j" --sparse=always src mnt/out/dst
	quota_fails mnt/out/dst -j "$j" --sparse=always --no-sync src \
		mnt/out/dst
done
quota_fails mnt/out/src --sparse=always src mnt/out
# Through read/write, the write says it.
expect_pipe_exit 1 src run_mcp - mnt/out/dst
expect_no_stdout
expect_stderr "mcp: mnt/out/dst: $E"
no_leftovers mnt/out

# --atomic: the old DEST stays.
cp old mnt/out/dst
expect_exit 1 run_mcp --atomic --sparse=always -j 4 src mnt/out/dst
expect_no_stdout
expect_stderr "mcp: mnt/out/dst: $E"
expect_same old mnt/out/dst
no_leftovers mnt/out dst
