#!/bin/sh
# A DEST file system that cannot reserve space (faultfs --no-fallocate:
# fallocate fails with EOPNOTSUPP, as on many FUSE and network file
# systems) is copied to all the same: exit 0, DEST byte for byte SOURCE,
# nothing printed; -v notes that no space was reserved.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mnt --no-fallocate
random_file src 8388608

for j in 1 4; do
	expect_exit 0 run_mcp -j "$j" src mnt/out/dst
	expect_silent
	expect_same src mnt/out/dst
	no_leftovers mnt/out dst
done

expect_exit 0 run_mcp -v -j 4 src mnt/out/dst
expect_no_stdout
grep -F -x -q "mcp: mnt/out/dst: space not reserved: Operation not supported" \
	"$ERR" || { show_output; fail "-v: no note that space was not reserved"; }
expect_same src mnt/out/dst
