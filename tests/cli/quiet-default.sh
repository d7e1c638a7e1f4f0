#!/bin/sh
# Without -P, --stats or --json, a copy long enough to be drawn (many
# small chunks, -j 1 and several workers, one file or several) prints
# nothing at all, on stdout or stderr.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 20971520
for jobs in 1 3; do
	rm -f b
	expect_exit 0 "$MCP" --progress-interval=0 -j "$jobs" -c 64K a b
	expect_silent
	expect_same a b
done
mkdir d
expect_exit 0 "$MCP" -j 2 -c 64K a b d
expect_silent
expect_same a d/a
expect_same a d/b
