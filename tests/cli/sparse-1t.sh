#!/bin/sh
# A 1 TiB sparse file with a few MiB of data copies in seconds (holes
# are skipped by lseek, not read as zeros), into a DEST just as sparse.
# Skipped where the file system of $TMPDIR cannot hold such a file.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_holes
need_cmd timeout
mib=1048576
truncate -s 1T src 2>/dev/null ||
	skip "cannot make a 1 TiB sparse file in ${TMPDIR:-/tmp}"
# put_random MIB_OFFSET MIBS: random data at a MiB-aligned offset.
put_random() {
	head -c $(($2 * mib)) /dev/urandom |
		dd of=src bs=1M seek="$1" conv=notrunc iflag=fullblock \
			status=none || hard_error "cannot write into src"
}
put_random 0 2
put_random 300000 1
put_random $((1024 * 1024 - 1)) 1
write_random_at src $((4096 * mib + 3)) 5
size=$(file_size src)
[ "$size" = $((1024 * 1024 * mib)) ] || hard_error "src is $size bytes"

# Minutes would mean the holes were read; 60 s only keeps a broken mcp
# from hanging the suite.
expect_exit 0 within 60 "$MCP" src dst
expect_silent
[ "$(file_size dst)" = "$size" ] || fail "dst is $(file_size dst) bytes"
alloc=$(file_alloc dst)
[ "$alloc" -le $((16 * mib)) ] ||
	fail "dst takes $alloc bytes on disk for 4 MiB of data"
# Compare where the data is; the rest of dst is holes, which read as 0.
cmp -n $((2 * mib)) src dst >&2 || fail "the first 2 MiB differ"
for at in $((300000 * mib)) $((4096 * mib)) $((size - mib)); do
	cmp -i "$at:$at" -n "$mib" src dst >&2 || fail "dst differs at $at"
done
