#!/bin/sh
# Under cron: an empty environment, no terminal, stdin /dev/null.  A
# successful copy prints nothing at all.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 2000000
rc=0
env -i PATH=/usr/bin:/bin "$MCP" a b </dev/null >"$OUT" 2>"$ERR" || rc=$?
[ "$rc" = 0 ] || { show_output; fail "$(describe_status "$rc")"; }
test ! -s "$OUT" || fail "stdout not empty: $(cat "$OUT")"
test ! -s "$ERR" || fail "stderr not empty: $(cat "$ERR")"
expect_same a b

# Several workers and a directory DEST, in the same conditions.
mkdir d
rc=0
env -i PATH=/usr/bin:/bin "$MCP" -j 3 -c 64K a b d </dev/null \
	>"$OUT" 2>"$ERR" || rc=$?
[ "$rc" = 0 ] || { show_output; fail "$(describe_status "$rc")"; }
test ! -s "$OUT" || fail "stdout not empty: $(cat "$OUT")"
test ! -s "$ERR" || fail "stderr not empty: $(cat "$ERR")"
expect_same a d/a
expect_same a d/b
