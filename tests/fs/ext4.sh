#!/bin/sh
# The file-system matrix on ext4: see tests/fs/lib-fs.sh for the cases.
# Needs root; skips (77) where the kernel or the tools cannot make it.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fs.sh
. "$MCP_SRCDIR/tests/fs/lib-fs.sh"

fs_mount ext4 || skip "$FS_WHY"
fs_cases ext4 "$FS_DIR" "$FS_DIR"
fs_full ext4 "$FS_DIR"
