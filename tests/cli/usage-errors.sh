#!/bin/sh
# Every usage error: exit 2, nothing on stdout, on stderr exactly one
# "mcp: ..." line and the hint, and no DEST created.  The text of each
# case is in golden/usage-errors.txt.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 1000
HINT="Try 'mcp --help' for more information."
: >"$TMP/transcript"

# case_ LABEL ARG...: mcp ARG... is a usage error; LABEL names it in the
# transcript.
case_() {
	label=$1
	shift
	expect_exit 2 "$MCP" "$@"
	expect_no_stdout
	[ "$(wc -l <"$ERR")" = 2 ] || { show_output; fail "$label: not 2 lines"; }
	head -n 1 "$ERR" | grep -q '^mcp: .' ||
		{ show_output; fail "$label: first line is not 'mcp: ...'"; }
	[ "$(tail -n 1 "$ERR")" = "$HINT" ] ||
		{ show_output; fail "$label: no hint line"; }
	no_leftovers . src
	{ echo "== $label"; cat "$ERR"; } >>"$TMP/transcript"
}

case_ "no operands"
case_ "one operand" src
case_ "unknown long option" --bogus src dst
case_ "unknown short option" -x src dst
case_ "option with a stray argument" --no-sync=yes src dst
case_ "jobs 0" -j 0 src dst
case_ "jobs -1" -j -1 src dst
case_ "jobs 1025" -j 1025 src dst
case_ "jobs abc" -j abc src dst
case_ "jobs 2x" -j 2x src dst
case_ "jobs empty" -j '' src dst
case_ "jobs= empty" --jobs= src dst
case_ "jobs +2" -j +2 src dst
case_ "jobs missing argument" src dst -j
case_ "long jobs missing argument" src dst --jobs
case_ "chunk 0" -c 0 src dst
case_ "chunk 1x" -c 1x src dst
case_ "chunk 1.5M" -c 1.5M src dst
case_ "chunk -5" -c -5 src dst
case_ "chunk 4Kb" -c 4Kb src dst
case_ "chunk empty" --chunk-size= src dst
case_ "chunk overflow" -c 99999999999999999999999 src dst
case_ "chunk overflow by suffix" -c 16777216T src dst
case_ "chunk missing argument" src dst -c
case_ "cache bogus" --cache=bogus src dst
case_ "cache empty" --cache= src dst
case_ "cache missing argument" src dst --cache
case_ "sync-method fsync" --sync-method=fsync src dst
case_ "sync-method MSYNC" --sync-method=MSYNC src dst

expect_golden usage-errors.txt "$TMP/transcript"
