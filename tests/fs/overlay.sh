#!/bin/sh
# The file-system matrix on overlayfs, as containers have it: SOURCE in
# the lower layer, DEST in the merged view (see tests/fs/lib-fs.sh for
# the cases); and one file seen through both, which mcp must refuse to
# copy onto itself, touching nothing.  Needs root; skips (77) where
# overlayfs cannot be mounted.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fs.sh
. "$MCP_SRCDIR/tests/fs/lib-fs.sh"

fs_mount overlay || skip "$FS_WHY"
lower=$WORK/overlay-layers/lower
fs_cases overlay "$lower" "$FS_DIR"
fs_full overlay "$FS_DIR"

# The lower file through the merged view is the same file, both ways.
random_file "$lower/f" 100000
cp "$lower/f" saved
for opt in -j4 --atomic --reflink=never --reflink; do
	expect_exit 1 "$MCP" "$opt" "$FS_DIR/f" "$lower/f"
	expect_stderr "mcp: '$FS_DIR/f' and '$lower/f' are the same file"
	expect_exit 1 "$MCP" "$opt" "$lower/f" "$FS_DIR/f"
	expect_stderr "mcp: '$lower/f' and '$FS_DIR/f' are the same file"
done
expect_same saved "$lower/f"
expect_same saved "$FS_DIR/f"
[ ! -e "$WORK/overlay-layers/upper/f" ] || fail "the refusal copied f up"
