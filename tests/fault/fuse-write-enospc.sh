#!/bin/sh
# A DEST whose write-back fails part way for want of space while statfs
# and fallocate say there is room (a thin-provisioned or network file
# system): the copy fails with "No space left on device", naming DEST,
# and leaves no DEST; with --atomic the old one stays.  The cases are in
# lib-fuse-write.sh.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

WFAIL=enospc
E="No space left on device"
# shellcheck source=SCRIPTDIR/lib-fuse-write.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse-write.sh"
