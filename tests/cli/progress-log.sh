#!/bin/sh
# -P with stderr not a terminal (a log, a pipe): plain lines, no \r, at
# most one a second (here every 20 ms, through a hidden test switch),
# each like " 42% 1.0 MiB / 2.4 MiB  1.1 MiB/s  ETA 0:00:01", with the
# percent never going back, ending with the final line at 100 %.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

SIZE='[0-9.]+ (B|[KMGTPE]iB)'
CLOCK='[0-9]+:[0-9][0-9]:[0-9][0-9]'
LINE="^( [ 0-9][0-9]|100)% $SIZE / $SIZE  ($SIZE|-- B)/s"
LINE="$LINE  ETA ($CLOCK|--:--:--)\$"
LAST="^100% 20 MiB / 20 MiB  $SIZE/s  in $CLOCK\$"

# check_log JOBS: the lines of a copy with JOBS workers.
check_log() {
	rm -f b
	expect_exit 0 "$MCP" -P --progress-interval=20 -j "$1" -c 64K a b
	expect_no_stdout
	expect_same a b
	! grep -q "$(printf '\r')" "$ERR" || fail "-j $1: a \\r in a log"
	tail -n 1 "$ERR" | grep -E -q -e "$LAST" ||
		{ show_output; fail "-j $1: the last line is not the final one"; }
	sed '$d' "$ERR" >"$TMP/x/lines"
	if grep -E -v -e "$LINE" "$TMP/x/lines" >&2; then
		fail "-j $1: lines unlike /$LINE/ (above)"
	fi
	sed 's/%.*//' "$TMP/x/lines" | awk '$1 < last { exit 1 } { last = $1 }' ||
		{ show_output; fail "-j $1: the percent went back"; }
}

random_file a 20971520
check_log 1
check_log 2

# A file copied in no time still gets its final line, and only that.
: >empty
expect_exit 0 "$MCP" -P empty e
expect_no_stdout
if [ "$(wc -l <"$ERR")" != 1 ] || ! grep -E -q '^100% 0 B / 0 B  ' "$ERR"; then
	show_output
	fail "empty: not one final line"
fi
