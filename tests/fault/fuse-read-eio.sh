#!/bin/sh
# A SOURCE whose reads fail part way (faultfs's /eio: EIO from 5 MiB of
# 8 MiB on) fails the copy with one line naming SOURCE and "Input/output
# error", exit 1, and no DEST, with one worker or four and many chunks:
# the worker's SIGBUS on the mapping is caught and named.  The control,
# /good with the same bytes and no fault, copies byte for byte.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mnt --size=8M --eio-at=5M
pattern_file pattern 8388608

expect_exit 0 run_mcp -j 4 -c 64K mnt/good dst
expect_silent
expect_same pattern dst
rm dst

for j in 1 4; do
	expect_exit 1 run_mcp -j "$j" -c 64K mnt/eio dst
	expect_no_stdout
	expect_stderr "mcp: mnt/eio: Input/output error"
	no_leftovers . mnt pattern
done

# An existing DEST is removed too: never a file that looks finished.
random_file dst 1000
expect_exit 1 run_mcp -j 4 -c 64K mnt/eio dst
expect_no_stdout
expect_stderr "mcp: mnt/eio: Input/output error"
no_leftovers . mnt pattern
