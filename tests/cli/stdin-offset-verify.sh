#!/bin/sh
# `mcp --verify - DEST` with a regular file as standard input leaves the
# offset at the end of what was copied, as without --verify: the
# comparison must not move it.  Verify asks where SOURCE's data lies
# (lseek SEEK_DATA and SEEK_HOLE), which moves the offset of standard
# input's shared description; a sparse SOURCE whose data ends before its
# end used to leave it there (1 MiB of 8), and a plain one wherever the
# last worker's lseek happened to leave it.  The next command on the
# same descriptor must find nothing left to read.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_holes
random_file plain 16777216
# 1 MiB of data, then a hole to the end of its 8 MiB.
sparse_file sparse 8388608
write_random_at sparse 0 1048576
: >empty

# check_offset FILE MCP_ARG...: { mcp MCP_ARG... - dst; cat >rest; }
# <FILE copies all of FILE and leaves rest empty.
check_offset() {
	lib_f=$1
	shift
	rm -f dst rest
	rc=0
	{
		"$MCP" "$@" - dst
		cat >rest
	} <"$lib_f" >"$OUT" 2>"$ERR" || rc=$?
	[ "$rc" = 0 ] || { show_output; fail "mcp $* - dst <$lib_f: $(describe_status "$rc")"; }
	expect_silent
	expect_same "$lib_f" dst
	expect_same empty rest
}

for j in 1 4; do
	check_offset sparse --verify -j "$j"
	check_offset plain --verify -j "$j" -c 1M
	check_offset sparse --verify --no-sync -j "$j"
done
# Without --verify, as before.
check_offset sparse -j 4
no_leftovers . plain sparse empty dst rest
