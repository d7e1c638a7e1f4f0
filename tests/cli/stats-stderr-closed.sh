#!/bin/sh
# -P or --stats with stderr closed: DEST, opened as descriptor 2, must
# not receive the lines.  Stdin is closed too, so that SOURCE takes
# descriptor 0 and DEST the next free one, 2; -P draws after every chunk
# (a hidden test switch) while DEST is open.  The copy is made; the lines
# could not be written, which is a failure (exit 1), as with dd.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 20971520
for opt in --stats -P; do
	for jobs in 1 2; do
		rm -f b
		rc=0
		"$MCP" "$opt" --progress-interval=0 -j "$jobs" -c 64K a b \
			<&- >"$OUT" 2>&- || rc=$?
		[ "$rc" = 1 ] ||
			fail "$opt -j $jobs 2>&-: $(describe_status "$rc"), expected 1"
		expect_same a b
		expect_no_stdout
	done
done
