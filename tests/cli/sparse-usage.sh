#!/bin/sh
# --sparse takes auto, always or never, spelled out: anything else is a
# usage error (exit 2, the text in golden/sparse-usage.txt), and no DEST
# is created.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 1000
: >"$TMP/transcript"
for when in bogus '' AUTO alway never2 ' never'; do
	expect_exit 2 "$MCP" --sparse="$when" src dst
	expect_no_stdout
	no_leftovers . src
	{ echo "== --sparse='$when'"; cat "$ERR"; } >>"$TMP/transcript"
done
expect_exit 2 "$MCP" src dst --sparse
expect_no_stdout
no_leftovers . src
{ echo "== --sparse with no argument"; cat "$ERR"; } >>"$TMP/transcript"
expect_golden sparse-usage.txt "$TMP/transcript"
