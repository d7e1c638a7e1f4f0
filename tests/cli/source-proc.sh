#!/bin/sh
# Files of /proc and /sys claim a size of 0 (or 4096) whatever they hold:
# mcp reads them to end of file, so DEST has what cat shows.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

# copied FILE: mcp FILE dst gives what cat FILE gives (stable files).
copied() {
	[ -r "$1" ] || skip "$1 is missing"
	cat "$1" >expected || hard_error "cannot read $1"
	[ -s expected ] || hard_error "$1 reads empty"
	rm -f dst
	expect_exit 0 "$MCP" "$1" dst
	expect_silent
	expect_same expected dst
}

[ "$(file_size /proc/sys/kernel/ostype)" = 0 ] ||
	skip "/proc/sys/kernel/ostype does not claim size 0 here"
copied /proc/sys/kernel/ostype
copied /proc/version
copied /proc/self/limits
