#!/bin/sh
# -P fits the terminal and never wraps: at 40 columns the fields on the
# right go (ETA first, then the rate); with several sources each copy's
# 'SRC' -> 'DEST' stands once on a line of its own, cut in the middle
# when too long, and the progress goes under it; after a resize
# (SIGWINCH) the lines fit the new width.  The terminal is a
# pseudo-terminal made by script(1), sized with stty.  The rates and
# times vary, so they are replaced with R and T before the comparison
# with golden text.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd script stty
script -qc true /dev/null >/dev/null 2>&1 </dev/null ||
	skip "script(1) cannot make a terminal here"

# on_tty COLUMNS CMD: run the shell command CMD on a terminal that wide;
# its drawings, one a line, in $TMP/x/drawings.
on_tty() {
	SHELL=/bin/sh script -qc "stty cols $1 rows 24 && { $2; }" /dev/null \
		</dev/null >"$OUT" 2>"$ERR" ||
		{ show_output; fail "script or mcp failed: $2"; }
	cr=$(printf '\r')
	# The terminal turns each newline into \r\n; a drawing starts with \r.
	sed "s/$cr\$//" "$OUT" | tr "$cr" '\n' | sed '/^$/d' >"$TMP/x/drawings"
}

# narrower_than COLUMNS: no drawing reaches the last column.
narrower_than() {
	if awk -v w="$1" 'length($0) >= w { exit 1 }' "$TMP/x/drawings"; then
		return
	fi
	cat -A "$TMP/x/drawings" >&2
	fail "a line would wrap at $1 columns (above)"
}

# normalized: the drawings, rates as R/s, clocks as T.
normalized() {
	sed -E -e 's#[0-9.]+ (B|[KMGTPE]iB)/s#R/s#g' \
		-e 's#[0-9]+:[0-9][0-9]:[0-9][0-9]#T#g' -e 's# +$##' \
		"$TMP/x/drawings"
}

random_file a 20971520
cp a b-with-a-name-long-enough-to-be-cut-at-eighty-columns

# 40 columns, one file: the final line loses its time.
on_tty 40 "'$MCP' -P --progress-interval=20 -j 2 -c 64K a c"
expect_same a c
narrower_than 40
normalized | tail -n 1 >"$TMP/x/got"
expect_golden progress-40.txt "$TMP/x/got"

# 80 columns, two files with long names: each name once, cut to fit.
mkdir d
on_tty 80 "'$MCP' -P --progress-interval=20 -j 2 -c 64K a b-with-a-name-long-enough-to-be-cut-at-eighty-columns d"
expect_same a d/a
narrower_than 80
grep -v '%' "$TMP/x/drawings" >"$TMP/x/names"
normalized | grep '^100%.* in ' >>"$TMP/x/names"
expect_golden progress-80.txt "$TMP/x/names"

# 80 columns, absolute paths: no line wraps either.
rm -rf d && mkdir d
on_tty 80 "'$MCP' -P --progress-interval=20 -j 2 -c 64K '$PWD/a' '$PWD/c' '$PWD/d'"
narrower_than 80
[ "$(grep -c -- "-> '" "$TMP/x/drawings")" = 2 ] ||
	{ cat "$TMP/x/drawings" >&2; fail "not one name line per copy"; }

# A resize mid-copy: the final line fits the new width.  A pipe keeps
# the copy going until after the resize.
on_tty 100 "{ cat a; sleep 2; cat a; } | '$MCP' -P --progress-interval=20 - e & sleep 1; stty cols 40; wait"
cat a a | cmp -s - e || fail "the piped copy differs"
normalized | tail -n 1 >"$TMP/x/got"
printf '100%% 40 MiB / 40 MiB  R/s\n' >"$TMP/x/want"
diff -u "$TMP/x/want" "$TMP/x/got" >&2 ||
	fail "after a resize to 40 columns, the final line does not fit"
# Before the end, a pipe's line: bytes, rate and the time so far.
if grep -v '^100%' "$TMP/x/drawings" | sed 's/ *$//' | grep -E -v '^[0-9.]+ (B|[KMGTPE]iB)  ([0-9.]+ (B|[KMGTPE]iB)|--)/s(  elapsed [0-9]+:[0-9][0-9]:[0-9][0-9])?$' >&2; then
	fail "a pipe's progress line unlike the others (above)"
fi
