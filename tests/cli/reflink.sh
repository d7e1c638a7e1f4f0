#!/bin/sh
# --reflink[=WHEN] where TMPDIR is: always makes DEST a clone where the
# file system can (exit 0, DEST identical, --json "cloned": true), and
# elsewhere fails with "cannot clone", exit 1, leaving no DEST; auto, the
# default, copies then, and never always copies.  What cannot be cloned
# at all (a pipe, a device) fails always and is copied by auto.  The
# file systems that clone are tried in tests/fs.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 300000

# always: a clone, or a loud failure and nothing left.
rc=0
"$MCP" --reflink --json a b >"$OUT" 2>"$ERR" || rc=$?
case $rc in
0)	expect_same a b
	grep -q '"cloned":true' "$OUT" || fail "not cloned: $(cat "$OUT")"
	rm b ;;
1)	expect_stderr_has "mcp: b: cannot clone: "
	[ ! -e b ] || fail "a failed --reflink left b" ;;
*)	show_output
	fail "--reflink: $(describe_status "$rc")" ;;
esac
no_leftovers . a

# never, and auto (the default) where the clone fails: the bytes, silent.
for opt in --reflink=never --reflink=auto ""; do
	# shellcheck disable=SC2086 # empty or one word
	expect_exit 0 "$MCP" $opt a b
	expect_silent
	expect_same a b
	rm b
done
expect_exit 0 "$MCP" --json --reflink=never a b
grep -q '"cloned":false' "$OUT" || fail "cloned: $(cat "$OUT")"
rm b

# A pipe has no extents: always fails, auto copies.
expect_pipe_exit 1 a "$MCP" --reflink - b
expect_stderr "mcp: -: cannot clone: not a regular file"
no_leftovers . a
expect_pipe_exit 0 a "$MCP" --reflink=auto - b
expect_silent
expect_same a b
rm b
expect_exit 1 "$MCP" --reflink=always a /dev/null
expect_stderr "mcp: /dev/null: cannot clone: not a regular file"

# A bare --reflink takes no word after it as its WHEN: here SOURCE is
# named auto, and the copy is an always (exit 0 or 1, not a usage error).
cp a auto
rc=0
"$MCP" --reflink auto b >"$OUT" 2>"$ERR" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || {
	show_output
	fail "--reflink auto b: $(describe_status "$rc")"
}
[ "$rc" = 1 ] || expect_same a b
rm -f b auto

# Usage errors: exit 2, nothing made.
expect_exit 2 "$MCP" --reflink=sometimes a b
expect_stderr "mcp: invalid --reflink mode: 'sometimes' (auto, always or never)" \
	"Try 'mcp --help' for more information."
expect_exit 2 "$MCP" --reflink --sparse=never a b
expect_stderr "mcp: --reflink=always cannot honour --sparse=never" \
	"Try 'mcp --help' for more information."
no_leftovers . a
