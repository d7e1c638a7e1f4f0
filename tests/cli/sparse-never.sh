#!/bin/sh
# --sparse=never writes every byte: the holes of SOURCE are filled with
# zeros in DEST, which takes its whole size on disk.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_holes
size=$((32 * 1048576 + 100))
sparse_file src "$size"
write_random_at src 4096 10
write_random_at src $((size - 50)) 50

expect_exit 0 "$MCP" --sparse=never -j 2 src dst
expect_silent
expect_same src dst
alloc=$(file_alloc dst)
[ "$alloc" -ge $((32 * 1048576)) ] ||
	fail "dst takes only $alloc bytes on disk for $size bytes"

# The option's argument may also be the next word.
expect_exit 0 "$MCP" --sparse never src dst2
expect_same src dst2
[ "$(file_alloc dst2)" -ge $((32 * 1048576)) ] || fail "dst2 has holes"
