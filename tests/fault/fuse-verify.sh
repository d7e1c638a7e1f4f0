#!/bin/sh
# --verify catches a DEST the storage got wrong, whichever way the copy
# went: faultfs --corrupt-at=5M keeps the byte written at 5 MiB flipped
# while every write succeeds.  Through mappings, through read/write on a
# --direct-io mount (DEST read back and compared with SOURCE read
# again), and from a pipe (DEST's checksum against that of what was
# read): exit 1, one line, the first bad byte where it is known, DEST
# removed, the old one kept with --atomic, and --json "verified": false
# with the error.  The controls, copies that stay below 5 MiB, or read
# from there, verify: exit 0, and -v says so.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mapped --corrupt-at=5M
mount_faultfs direct --direct-io --corrupt-at=5M --size=8M
pattern_file pattern 8388608
random_file small 3000000
random_file big 8388608
random_file old 100000

# The controls: below the bad byte, and SOURCE on the mount.
for m in mapped direct; do
	expect_exit 0 run_mcp --verify -j 4 small $m/out/dst
	expect_silent
	expect_same small $m/out/dst
	expect_pipe_exit 0 small run_mcp --verify - $m/out/dst
	expect_silent
	expect_same small $m/out/dst
	rm $m/out/dst
done
expect_exit 0 run_mcp --verify -v direct/good dst
expect_no_stdout
expect_stderr \
"mcp: 'direct/good' -> 'dst': cannot map SOURCE (No such device); copying 8388608 bytes through read/write" \
	"mcp: 'dst': verified: 8388608 bytes identical to 'direct/good'"
expect_same pattern dst
rm dst

BAD="verify failed: first difference at byte 5242880"
PIPE="verify failed: does not match what was read from '-'"
for m in mapped direct; do
	# New DEST, existing DEST: removed.
	expect_exit 1 run_mcp --verify -j 4 big $m/out/dst
	expect_no_stdout
	expect_stderr "mcp: $m/out/dst: $BAD"
	no_leftovers $m/out
	cp old $m/out/dst
	expect_exit 1 run_mcp --verify -j 4 big $m/out/dst
	expect_stderr "mcp: $m/out/dst: $BAD"
	no_leftovers $m/out
	expect_pipe_exit 1 big run_mcp --verify - $m/out/dst
	expect_no_stdout
	expect_stderr "mcp: $m/out/dst: $PIPE"
	no_leftovers $m/out
	# --atomic: the old DEST stays, byte for byte.
	cp old $m/out/dst
	expect_exit 1 run_mcp --verify --atomic big $m/out/dst
	expect_stderr "mcp: $m/out/dst: $BAD"
	expect_same old $m/out/dst
	expect_pipe_exit 1 big run_mcp --verify --atomic - $m/out/dst
	expect_stderr "mcp: $m/out/dst: $PIPE"
	expect_same old $m/out/dst
	no_leftovers $m/out dst
	rm $m/out/dst
	# --json: not verified, and why.
	expect_pipe_exit 1 big run_mcp --verify --json - $m/out/dst
	grep -q '"verified":false' "$OUT" && grep -q -F "\"error\":\"$m/out/dst: $PIPE\"" "$OUT" ||
		{ show_output; fail "--json: verified or no error"; }
done
