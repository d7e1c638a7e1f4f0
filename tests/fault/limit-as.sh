#!/bin/sh
# An address-space limit (ulimit -v) far below the file size: mapping
# the whole file would fail, and mcp never does.  Windows of the default
# 64 MiB do not fit either under 48 MiB, so mcp maps smaller ones and the
# copy (and --verify) still completes byte-identical, with any -j.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd prlimit
# The sanitizers reserve terabytes of address space, valgrind its own.
[ -z "${MCP_SANITIZED:-}" ] || skip "built with sanitizers"
[ -z "${MCP_VALGRIND:-}" ] || skip "under valgrind"
# 256 MiB of random bytes, then the same with a hole, to take both the
# plain and the sparse path.
random_file src 268435456
cp src holey
truncate -s 536870912 holey
write_random_at holey 402653184 4096

for limit in 201326592 50331648; do
	for jobs in 1 2 8; do
		expect_exit 0 prlimit --as="$limit" "$MCP" -j "$jobs" src dst
		expect_silent
		expect_same src dst
		rm dst
	done
done
expect_exit 0 prlimit --as=50331648 "$MCP" -j 2 --verify holey dst
expect_silent
expect_same holey dst
