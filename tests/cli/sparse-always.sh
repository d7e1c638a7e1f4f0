#!/bin/sh
# --sparse=always also turns pages of zeros that SOURCE stores as data
# into holes in DEST; the default (auto) writes them, as they are data.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_holes
mib=1048576
dd if=/dev/zero of=src bs=1M count=16 status=none ||
	hard_error "cannot write zeros to src"
write_random_at src $((5 * mib + 7)) 3000
write_random_at src $((16 * mib - 10)) 10
[ "$(file_alloc src)" -ge $((16 * mib)) ] ||
	skip "the file system of ${TMPDIR:-/tmp} does not store zeros written"

expect_exit 0 "$MCP" --sparse=always src dst
expect_silent
expect_same src dst
alloc=$(file_alloc dst)
[ "$alloc" -le $((256 * 1024)) ] ||
	fail "dst takes $alloc bytes on disk for 3 KB of data in 16 MiB of zeros"

expect_exit 0 "$MCP" src dst2
expect_same src dst2
alloc=$(file_alloc dst2)
[ "$alloc" -ge $((16 * mib)) ] ||
	fail "--sparse=auto left written zeros unwritten: $alloc bytes on disk"
