#!/bin/sh
# --verify on a correct copy: exit 0 and silence, with every mode of
# copying; with -v it says that DEST was verified.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 3000000
expect_exit 0 "$MCP" --verify src dst
expect_silent
expect_same src dst

expect_exit 0 "$MCP" --verify -j 3 -c 64K --no-sync src dst2
expect_silent
expect_same src dst2

: >empty
expect_exit 0 "$MCP" --verify empty dst3
expect_silent
expect_same empty dst3

# A sparse SOURCE: holes on both sides are skipped, data compared.
sparse_file holes $((8 * 1048576 + 3))
write_random_at holes 1000000 20
expect_exit 0 "$MCP" --verify -j 2 holes dst4
expect_silent
expect_same holes dst4

expect_exit 0 "$MCP" --verify -v -j 2 -c 1M src dst5
expect_no_stdout
expect_stderr \
	"mcp: 'src' -> 'dst5': 3000000 bytes, 2 workers, 1048576-byte chunks" \
	"mcp: 'dst5': verified: 3000000 bytes identical to 'src'"
expect_same src dst5
