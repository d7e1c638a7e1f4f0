#!/bin/sh
# A file larger than 4 GiB copies exactly: offsets past 32 bits, data in
# the last partial page.  The source is sparse so it costs no disk, with
# random bytes at the start, either side of 4 GiB and at the very end;
# DEST keeps its holes (--sparse=auto, the default), so it costs none
# either.  tests/cli/sparse-never.sh checks the filled-in variant.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_holes
four_g=4294967296
size=$((four_g + 8193))
sparse_file src "$size"
write_random_at src 0 7
write_random_at src $((four_g - 5)) 5
write_random_at src "$four_g" 9
write_random_at src $((size - 3)) 3
[ "$(file_size src)" = "$size" ] || hard_error "src is not $size bytes"

# Two workers split the range across the 4 GiB line.
expect_exit 0 "$MCP" -j 2 src dst
expect_silent
expect_same src dst
alloc=$(file_alloc dst)
[ "$alloc" -le 1048576 ] ||
	fail "dst takes $alloc bytes on disk for 24 bytes of data"
