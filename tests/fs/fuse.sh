#!/bin/sh
# The file-system matrix on FUSE: the project's faultfs, failing
# nothing, its writable /out (see tests/fs/lib-fs.sh for the cases).
# faultfs keeps its files in memory, up to 1 GiB each: no 4 GiB file.
# It reports 1 TiB free, so the full file system is a second faultfs
# whose writes fail with ENOSPC past 4 MiB.  Needs root and /dev/fuse;
# skips (77) without them or without faultfs (libfuse3).
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fs.sh
. "$MCP_SRCDIR/tests/fs/lib-fs.sh"

FS_NO_BIG=1
fs_mount fuse || skip "$FS_WHY"
fs_cases fuse "$FS_DIR" "$FS_DIR"

mount_faultfs full --wfail-at=4M --wfail-errno=enospc
random_file big 16777216
for opt in "-j 1" "-j 4" "--atomic -j 4" "--sparse=always -j 4"; do
	# shellcheck disable=SC2086 # a list of plain words
	expect_exit 1 run_mcp $opt big full/out/c
	expect_stderr_has "No space left on device"
	no_leftovers full/out
done
