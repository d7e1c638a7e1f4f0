#!/bin/sh
# mcp's own output never lands in DEST.  A DEST that is standard output
# with --json (mcp --json SRC DEST >DEST, or DEST /dev/stdout), or that is
# standard error (where errors, warnings, -v, -P and --stats go), is
# refused before anything is created or written: one error line, exit 1,
# no JSON, and every DEST as it was.  /dev/null and a terminal keep
# nothing, so they may be both.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 300000
random_file c 5000

# refused_out ARG...: mcp ARG... >b refuses, writes nothing into b.
refused_out() {
	rc=0
	"$MCP" "$@" >b 2>"$ERR" || rc=$?
	[ "$rc" = 1 ] || fail "$* >b: $(describe_status "$rc"), expected 1"
	[ "$(file_size b)" = 0 ] || fail "$* >b: b has $(file_size b) bytes"
}

refused_out --json a b
expect_stderr "mcp: b: is standard output, where --json writes; not copying into it"
refused_out --json a /dev/stdout
expect_stderr "mcp: /dev/stdout: is standard output, where --json writes; not copying into it"
refused_out --json --atomic a b
refused_out --json -n a b
no_leftovers . a b c

# Appending (>>) to an existing DEST: it stays byte for byte.
cp a b
rc=0
# shellcheck disable=SC2094 # DEST is stdout: that is the test
"$MCP" --json a b >>b 2>"$ERR" || rc=$?
[ "$rc" = 1 ] || fail "--json a b >>b: $(describe_status "$rc"), expected 1"
expect_same a b

# Standard error, with -P, --stats, -v or nothing asked: refused, and b
# holds only the error line, which has nowhere else to go.
for opt in -P --stats -v -q; do
	rm -f b
	rc=0
	# shellcheck disable=SC2094 # DEST is stderr: that is the test
	"$MCP" "$opt" a b 2>b || rc=$?
	[ "$rc" = 1 ] || fail "$opt a b 2>b: $(describe_status "$rc"), expected 1"
	cp b "$ERR"
	expect_stderr "mcp: b: is standard error, where mcp writes; not copying into it"
done

# Several SOURCEs: one DEST is standard output, so none is copied.
mkdir d
rc=0
"$MCP" --json a c d >d/c 2>"$ERR" || rc=$?
[ "$rc" = 1 ] || fail "--json a c d >d/c: $(describe_status "$rc"), expected 1"
expect_stderr "mcp: d/c: is standard output, where --json writes; not copying into it"
[ "$(file_size d/c)" = 0 ] || fail "d/c was written"
no_leftovers d c

# Not refused: output and DEST apart, or /dev/null as both.
rm -f b
expect_exit 0 "$MCP" --json --stats a b
expect_same a b
grep -q '"error":null' "$OUT" || fail "no JSON on stdout"
"$MCP" --json a /dev/null >/dev/null 2>"$ERR" ||
	fail "--json a /dev/null >/dev/null failed"
"$MCP" --stats -v a /dev/null 2>/dev/null ||
	fail "--stats -v a /dev/null 2>/dev/null failed"
