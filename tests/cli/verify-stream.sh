#!/bin/sh
# --verify of copies through read/write.  A SOURCE that cannot be read
# twice (a pipe, standard input at an offset, a /proc file) is
# checksummed as it passes and DEST, read back, must match: exit 0,
# silent, and -v and --json ("verified": true) say it was verified.  A
# DEST that cannot be read back (a FIFO, a character device) cannot be
# verified: a usage error, exit 2, before anything is written, also
# into a DIRECTORY; -n skips such a DEST instead.  Once --verify there
# only warned (-q hid it), exited 0, and --json said false.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd timeout
random_file src 3000000
HINT="Try 'mcp --help' for more information."

# A pipe.  (cat, not a redirect: a regular file on stdin is mapped.)
expect_pipe_exit 0 src "$MCP" --verify - dst
expect_silent
expect_same src dst
expect_pipe_exit 0 src "$MCP" --verify -q - dst
expect_silent
expect_same src dst
expect_pipe_exit 0 src "$MCP" --verify -v - dst
expect_no_stdout
expect_stderr "mcp: '-' -> 'dst': read/write to end of file" \
	"mcp: 'dst': verified: 3000000 bytes match what was read from '-'"
expect_pipe_exit 0 src "$MCP" --verify --json - dst
grep -q '"verified":true' "$OUT" || { show_output; fail "--json: not verified"; }
grep -q '"error":null' "$OUT" || { show_output; fail "--json: an error"; }
expect_same src dst
: | expect_exit 0 "$MCP" --verify - empty
expect_silent
[ -f empty ] && [ ! -s empty ] || fail "empty is not an empty file"

# Standard input from an offset, and a /proc file: read only once too.
{
	dd bs=1000 count=1 of=/dev/null status=none
	"$MCP" --verify -v - tail
} <src >"$OUT" 2>"$ERR" || { show_output; fail "stdin at an offset"; }
tail -c +1001 src >tail.want
expect_same tail.want tail
grep -q "verified: 2999000 bytes match" "$ERR" ||
	{ show_output; fail "stdin at an offset: not verified"; }
expect_exit 0 "$MCP" --verify /proc/sys/kernel/ostype ostype
expect_silent
cmp ostype /proc/sys/kernel/ostype || fail "ostype differs"
rm -f dst empty tail tail.want ostype

# usage_error ARG...: mcp --verify ARG... is a usage error naming what
# cannot be read back.
usage_error() {
	expect_exit 2 within 5 "$MCP" --verify "$@"
	expect_no_stdout
	[ "$(wc -l <"$ERR")" = 2 ] && [ "$(tail -n 1 "$ERR")" = "$HINT" ] ||
		{ show_output; fail "--verify $*: not a usage error"; }
}

# A FIFO, with a reader waiting: it gets nothing, not even an open.
mkfifo fifo
timeout 10 cat fifo >got &
reader=$!
usage_error src fifo
expect_stderr "mcp: --verify: 'fifo' is a FIFO, which cannot be read back" \
	"$HINT"
expect_pipe_exit 2 src within 5 "$MCP" --verify - fifo
: >fifo # let the reader go
wait "$reader" || fail "the reader failed"
[ ! -s got ] || fail "something was written into the FIFO"
[ -p fifo ] || fail "the FIFO was replaced"
rm got

usage_error src /dev/null
head -n 1 "$ERR" | grep -q -F "'/dev/null' is a character device" ||
	{ show_output; fail "/dev/null: not named"; }

# Into a DIRECTORY where one DEST is a FIFO: no copy starts.
mkdir dir
mkfifo dir/src
random_file other 1000
usage_error other src dir
head -n 1 "$ERR" | grep -q -F "'dir/src' is a FIFO" ||
	{ show_output; fail "dir/src: not named"; }
no_leftovers dir src

# -n: an existing DEST is skipped, so there is nothing to verify.
expect_exit 0 within 5 "$MCP" -n --verify src fifo
expect_silent
no_leftovers . src fifo dir other
