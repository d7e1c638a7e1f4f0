#!/bin/sh
# --stats with several SOURCEs: a line per file copied, named
# "'SRC' -> 'DEST': ", then a total line.  A file that fails has its
# error instead of a line; the others are still copied; exit 1.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

TAIL='copied, [0-9.]+(e[-+][0-9]+)? s, [0-9.]+ [kMGTPE]?B/s'

random_file a 1000
random_file b 70000
: >c
mkdir d
expect_exit 0 "$MCP" --stats -j 2 a b c d
expect_no_stdout
cat >"$TMP/x/want" <<WANT
^'a' -> 'd/a': 1000 bytes \\(1\\.0 kB\\) $TAIL\$
^'b' -> 'd/b': 70000 bytes \\(70 kB, 68 KiB\\) $TAIL\$
^'c' -> 'd/c': 0 bytes $TAIL\$
^total: 71000 bytes \\(71 kB, 69 KiB\\) $TAIL\$
WANT
# each_line_matches WANT FILE: line i of FILE matches regex line i.
each_line_matches() {
	[ "$(wc -l <"$1")" = "$(wc -l <"$2")" ] ||
		{ show_output; fail "expected $(wc -l <"$1") lines on stderr"; }
	lib_i=1
	while IFS= read -r lib_re; do
		sed -n "${lib_i}p" "$2" | grep -E -q -e "$lib_re" ||
			{ show_output; fail "stderr line $lib_i: not /$lib_re/"; }
		lib_i=$((lib_i + 1))
	done <"$1"
}
each_line_matches "$TMP/x/want" "$ERR"
expect_same a d/a
expect_same b d/b
expect_same c d/c

# One missing: its error, the others' lines, a total of those copied.
rm -r d
mkdir d
expect_exit 1 "$MCP" --stats a missing b d
expect_no_stdout
cat >"$TMP/x/want" <<WANT
^'a' -> 'd/a': 1000 bytes \\(1\\.0 kB\\) $TAIL\$
^mcp: missing: cannot open: No such file or directory\$
^'b' -> 'd/b': 70000 bytes \\(70 kB, 68 KiB\\) $TAIL\$
^total: 71000 bytes \\(71 kB, 69 KiB\\) $TAIL\$
WANT
each_line_matches "$TMP/x/want" "$ERR"
expect_same a d/a
expect_same b d/b
no_leftovers d a b
