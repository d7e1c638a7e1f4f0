#!/bin/sh
# -P on a terminal redraws one line in place: each drawing starts with
# \r, and the final one, at 100 %, ends with the only newline.  The
# terminal is a pseudo-terminal made by script(1) from util-linux.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd script
script -qc true /dev/null >/dev/null 2>&1 </dev/null ||
	skip "script(1) cannot make a terminal here"
random_file a 20971520
# script(1) runs the command through $SHELL -c.
SHELL=/bin/sh script -qc "'$MCP' -P --progress-interval=20 -j 2 -c 64K a b" \
	/dev/null </dev/null >"$OUT" 2>"$ERR" ||
	{ show_output; fail "script or mcp failed"; }
expect_same a b
cr=$(printf '\r')
# The terminal turns the newline into \r\n.
tr -d '\n' <"$OUT" | tr "$cr" '\n' | sed '/^$/d' >"$TMP/x/drawings"
[ "$(grep -c '' "$OUT")" = 1 ] ||
	{ show_output; fail "more than one line on the terminal"; }
tail -n 1 "$TMP/x/drawings" | grep -E -q '^100% 20 MiB / 20 MiB  .*in [0-9]' ||
	{ show_output; fail "the last drawing is not the final line"; }
head -c 1 "$OUT" | grep -q "$cr" ||
	{ show_output; fail "the first drawing does not start with \\r"; }
