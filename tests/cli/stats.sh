#!/bin/sh
# --stats prints one line on stderr at the end, in dd's format, and
# nothing on stdout: "N bytes (SI, IEC) copied, T s, R unit/s", with the
# parentheses shortened or left out for small counts as dd does, and
# no nan or inf for an empty file.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

# The time and the rate as dd writes them.
TAIL='copied, [0-9.]+(e[-+][0-9]+)? s, [0-9.]+ [kMGTPE]?B/s$'

# stats_is REGEX MCP_ARG...: the copy succeeds and prints only this line.
stats_is() {
	lib_re=$1
	shift
	expect_exit 0 "$MCP" --stats "$@"
	expect_no_stdout
	if [ "$(wc -l <"$ERR")" != 1 ] || ! grep -E -q -e "$lib_re" "$ERR"; then
		show_output
		fail "--stats $*: not a line like /$lib_re/"
	fi
	! grep -E -q 'nan|inf' "$ERR" || fail "--stats $*: nan or inf"
}

random_file a 3000000
stats_is "^3000000 bytes \\(3\\.0 MB, 2\\.9 MiB\\) $TAIL" a b
expect_same a b
stats_is "^3000000 bytes \\(3\\.0 MB, 2\\.9 MiB\\) $TAIL" -j 1 a b1
expect_same a b1

: >empty
stats_is "^0 bytes $TAIL" empty e
expect_same empty e
random_file one 1
stats_is "^1 byte $TAIL" one o
random_file k 1000
stats_is "^1000 bytes \\(1\\.0 kB\\) $TAIL" k k2
random_file kib 1024
stats_is "^1024 bytes \\(1\\.0 kB, 1\\.0 KiB\\) $TAIL" kib kib2

# Into a directory, one SOURCE: the same line, unnamed.
mkdir d
stats_is "^3000000 bytes \\(3\\.0 MB, 2\\.9 MiB\\) $TAIL" a d
expect_same a d/a
