#!/bin/sh
# -t/--target-directory=DIR copies every operand into DIR; -T/
# --no-target-directory takes DEST as the file itself, even when it is a
# directory (which then cannot be overwritten), as in cp.  The two
# exclude each other.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 70000
random_file b 1000
mkdir d e

expect_exit 0 "$MCP" -t d a b
expect_silent
expect_same a d/a
expect_same b d/b
expect_exit 0 "$MCP" --target-directory=e a
expect_silent
expect_same a e/a
# After the sources, as cp allows.
rm -rf e && mkdir e
expect_exit 0 "$MCP" b --target-directory e
expect_same b e/b

expect_exit 1 "$MCP" -t missing a
expect_stderr "mcp: target 'missing' is not a directory"
no_leftovers . a b d e
expect_exit 1 "$MCP" -t b a
expect_stderr "mcp: target 'b' is not a directory"
expect_exit 2 "$MCP" -t d
expect_stderr "mcp: missing file operand" \
	"Try 'mcp --help' for more information."

# -T: DEST is the file, even a directory.
expect_exit 0 "$MCP" -T a c
expect_silent
expect_same a c
expect_exit 0 "$MCP" --no-target-directory b c
expect_same b c
rm -rf e && mkdir e
expect_exit 1 "$MCP" -T a e
expect_stderr "mcp: e: cannot overwrite directory: Is a directory"
[ -d e ] && [ -z "$(ls -A e)" ] || fail "-T a e: the directory changed"
expect_exit 2 "$MCP" -T a b c
expect_stderr "mcp: extra operand 'c'" \
	"Try 'mcp --help' for more information."
expect_exit 2 "$MCP" -T a
expect_stderr "mcp: missing destination file operand after 'a'" \
	"Try 'mcp --help' for more information."

for both in "-t d -T" "-T -t d"; do
	# shellcheck disable=SC2086 # two options
	expect_exit 2 "$MCP" $both a
	expect_stderr "mcp: cannot combine --target-directory (-t) and --no-target-directory (-T)" \
		"Try 'mcp --help' for more information."
done

# With --json, the several-source shape, as with a DIRECTORY operand.
rm -rf e && mkdir e
expect_exit 0 "$MCP" --json -t e a b
grep -q '"files":\[' "$OUT" || { show_output; fail "--json -t: no files array"; }
