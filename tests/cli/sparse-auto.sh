#!/bin/sh
# By default (--sparse=auto) the holes of SOURCE stay holes in DEST: only
# the data is written, and DEST takes about as much disk as the data.
# An existing DEST full of other bytes is emptied first, so what mcp
# leaves unwritten reads as zeros there too.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_holes
size=$((64 * 1048576 + 5000))
sparse_file src "$size"
write_random_at src 0 5000
write_random_at src $((20 * 1048576 + 3)) 70000
write_random_at src $((size - 100)) 100

# Windows smaller than the file, several workers, the holes between.
expect_exit 0 "$MCP" -j 3 -c 4M src dst
expect_silent
expect_same src dst
alloc=$(file_alloc dst)
[ "$alloc" -le 1048576 ] ||
	fail "dst takes $alloc bytes on disk for about 80 KB of data"

random_file old 3000000
expect_exit 0 "$MCP" src old
expect_silent
expect_same src old
alloc=$(file_alloc old)
[ "$alloc" -le 1048576 ] ||
	fail "old takes $alloc bytes on disk for about 80 KB of data"

# --sparse=auto is the default, and can be named.
expect_exit 0 "$MCP" --sparse=auto src dst2
expect_same src dst2
[ "$(file_alloc dst2)" -le 1048576 ] || fail "--sparse=auto filled dst2"
