#!/bin/sh
# Every size copies exactly, silently, whatever the number of workers and
# the chunk size: empty, one byte, around a page, not a page multiple.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

for size in 0 1 4095 4096 4097 1048579; do
	random_file "src$size" "$size"
	for jobs in 1 2 3 8; do
		for chunk in "" 4096; do
			rm -f dst
			if [ -n "$chunk" ]; then
				expect_exit 0 "$MCP" -j "$jobs" -c "$chunk" \
					"src$size" dst
			else
				expect_exit 0 "$MCP" -j "$jobs" "src$size" dst
			fi
			expect_silent
			expect_same "src$size" dst
		done
	done
	rm -f "src$size" dst
done
no_leftovers .
