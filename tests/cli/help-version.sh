#!/bin/sh
# --help, -?, --version, -V and --usage print on stdout and exit 0; a
# failed write of that text is an error (exit 1), not a silent success.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

for opt in --help '-?'; do
	expect_exit 0 "$MCP" "$opt"
	expect_golden help.txt
	[ ! -s "$ERR" ] || { show_output; fail "$opt: stderr not empty"; }
done
# Help wins over operands, and copies nothing.
random_file src 100
expect_exit 0 "$MCP" --help src dst
expect_golden help.txt
no_leftovers . src

# No -h: in du, df, ls and sort it means human-readable sizes, and one
# day mcp may want it for that; taken for help it would surprise.
expect_exit 2 "$MCP" -h
expect_no_stdout
expect_stderr "mcp: -h: unknown option" \
	"Try 'mcp --help' for more information."

for opt in --version -V; do
	expect_exit 0 "$MCP" "$opt"
	expect_golden version.txt
	[ ! -s "$ERR" ] || { show_output; fail "$opt: stderr not empty"; }
done

expect_exit 0 "$MCP" --usage
[ ! -s "$ERR" ] || { show_output; fail "--usage: stderr not empty"; }
head -n 1 "$OUT" | grep -q '^Usage: mcp ' ||
	{ show_output; fail "--usage: no 'Usage: mcp' line"; }

[ -w /dev/full ] || skip "no /dev/full to fill stdout with"
for opt in --help --version --usage; do
	rc=0
	"$MCP" "$opt" >/dev/full 2>"$ERR" || rc=$?
	[ "$rc" = 1 ] || fail "$opt >/dev/full: $(describe_status "$rc"), expected 1"
	expect_stderr "mcp: write error: No space left on device"
done
