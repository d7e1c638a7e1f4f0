#!/bin/sh
# A SOURCE that shrinks while it is read (faultfs's /shrink: 8 MiB, cut
# to 2 MiB by the first read that reaches 4 MiB) fails the copy with
# "file changed during copy" naming SOURCE, exit 1, and no DEST, with one
# worker or four: never a crash, never a copy of the old size.  Unlike
# tests/cli/source-truncated.sh no timing is involved: the read itself
# shrinks the file.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mnt --size=8M --shrink-at=4M --shrink-to=2M

# Each open of /shrink finds it whole again: one mount does for all.
for j in 1 4; do
	expect_exit 1 run_mcp -j "$j" -c 64K mnt/shrink dst
	expect_no_stdout
	expect_stderr "mcp: mnt/shrink: file changed during copy"
	no_leftovers . mnt
done

# An existing DEST is removed too.
random_file dst 1000
expect_exit 1 run_mcp -j 4 -c 64K mnt/shrink dst
expect_no_stdout
expect_stderr "mcp: mnt/shrink: file changed during copy"
no_leftovers . mnt
