#!/bin/sh
# A file larger than 4 GiB copies exactly: offsets past 32 bits, data in
# the last partial page.  The source is sparse so it costs no disk, with
# random bytes at the start, either side of 4 GiB and at the very end.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

four_g=4294967296
# DEST is not sparse (its blocks are reserved): it needs 4 GiB of disk.
avail_k=$(df -P -k "$WORK" | awk 'NR == 2 { print $4 }')
[ "${avail_k:-0}" -ge 4718592 ] ||
	skip "needs 4.5 GiB free in ${TMPDIR:-/tmp}, has ${avail_k:-?} KiB"
size=$((four_g + 8193))
sparse_file src "$size"
write_random_at src 0 7
write_random_at src $((four_g - 5)) 5
write_random_at src "$four_g" 9
write_random_at src $((size - 3)) 3
[ "$(file_size src)" = "$size" ] || hard_error "src is not $size bytes"

# --no-sync: the test is about offsets, not durability, and msync of
# 4 GiB would write it all to the disk first (tens of seconds instead of
# a few).  Two workers still split the range across the 4 GiB line.
expect_exit 0 "$MCP" -j 2 --no-sync src dst
expect_silent
expect_same src dst
# Give the page cache back now rather than when the directory goes.
rm -f dst
