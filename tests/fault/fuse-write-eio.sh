#!/bin/sh
# A DEST whose write-back fails part way with EIO (a disk or a server
# that fails): the copy fails, naming DEST, and leaves no DEST; with
# --atomic the old one stays.  The cases are in lib-fuse-write.sh.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

WFAIL=eio
E="Input/output error"
# shellcheck source=SCRIPTDIR/lib-fuse-write.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse-write.sh"
