#!/bin/sh
# --sync-method: range (the default) writes each window back with
# sync_file_range, msync with msync(MS_SYNC) before the window is
# unmapped.  Both copy exactly, in silence, with any number of workers;
# under strace, each uses its own call and not the other's.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src $((5 * 1048576 + 17))
for how in range msync; do
	for args in "-j 1" "-j 2 -c 1M" "-j 3 -c 1M --verify" "--no-sync"; do
		rm -f dst
		# shellcheck disable=SC2086 # $args is a list of options
		expect_exit 0 "$MCP" --sync-method="$how" $args src dst
		expect_silent
		expect_same src dst
	done
done

# Which call writes back, seen by strace (mcp itself, not under
# valgrind: valgrind's own calls would be counted too).
[ -z "${MCP_VALGRIND:-}" ] || exit 0
command -v strace >/dev/null 2>&1 || skip "no strace to see the calls"
# LeakSanitizer cannot run under ptrace; leaks are checked by the other
# tests.
if [ -n "${MCP_SANITIZED:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
fi
# calls HOW: the write-back calls mcp makes with --sync-method=HOW.
calls() {
	rm -f dst
	strace -f -qq -e trace=msync,sync_file_range -o "$TMP/trace" \
		"$MCP" -j 2 -c 1M --sync-method="$1" src dst ||
		fail "mcp --sync-method=$1 failed under strace"
	expect_same src dst
	sed -n 's/^[0-9]* *\([a-z_]*\)(.*/\1/p' "$TMP/trace" | sort -u |
		tr '\n' ' '
}
[ "$(calls range)" = "sync_file_range " ] ||
	fail "range: expected only sync_file_range, got: $(calls range)"
[ "$(calls msync)" = "msync " ] ||
	fail "msync: expected only msync, got: $(calls msync)"
