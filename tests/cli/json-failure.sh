#!/bin/sh
# --json after a failure: the object is still printed on stdout, with the
# error message in "error", and the exit status stays 1.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd python3

# json_error WANT: stdout is one JSON object whose "error" is WANT.
json_error() {
	python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["error"] == sys.argv[2], o
assert o["synced"] is False, o
exec(sys.argv[3] if len(sys.argv) > 3 else "")
' "$OUT" "$@" >&2 || { show_output; fail "JSON error is not '$1'"; }
}

expect_exit 1 "$MCP" --json missing dst
expect_stderr "mcp: missing: cannot open: No such file or directory"
json_error "missing: cannot open: No such file or directory" \
	'assert o["source"] == "missing" and o["bytes"] == 0, o'
no_leftovers .

# Several, one missing: the others copied and listed without an error;
# the top-level error is the first failure's.
random_file a 1000
mkdir d
expect_exit 1 "$MCP" --json a missing d
json_error "missing: cannot open: No such file or directory" '
assert [f["error"] for f in o["files"]] == [None, o["error"]], o
assert o["bytes"] == 1000, o
'
expect_same a d/a

# An error before any copy.
expect_exit 1 "$MCP" --json a a nodir
expect_stderr "mcp: target 'nodir' is not a directory"
json_error "target 'nodir' is not a directory" 'assert o["files"] == [], o'
