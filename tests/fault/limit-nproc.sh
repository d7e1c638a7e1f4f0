#!/bin/sh
# RLIMIT_NPROC (ulimit -u) so that fork fails: mcp warns once and copies
# with the workers it could start, or in its own process when it could
# start none; the copy still ends byte-identical with exit 0.  The limit
# binds only a user without CAP_SYS_RESOURCE, so mcp runs as nobody.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd prlimit setpriv
id nobody >/dev/null 2>&1 || skip "there is no user nobody"
# nobody must reach the files, and mcp itself.
chmod 755 "$TMP" "$WORK"
chmod 777 "$WORK"
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MCP" ||
	skip "nobody cannot run $MCP"
random_file src 33554432
# LeakSanitizer checks at exit from a thread of its own, which the limit
# forbids too; leaks are checked by every other test.
if [ -n "${MCP_SANITIZED:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
fi
chmod 644 src

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		prlimit --nproc="$1" "$MCP" -j 4 -c 1M src dst
}

# nobody's processes count against the limit: whatever nobody runs
# elsewhere only lowers what mcp gets, and 1 is never enough to fork.
expect_exit 0 as_nobody 1
expect_no_stdout
expect_stderr "mcp: could start no workers: fork: Resource temporarily unavailable; copying in one process"
expect_same src dst
rm dst

# -q: the copy is the same, and the warning is gone.  --json says that
# no worker ran of the 4 allowed.
expect_exit 0 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	prlimit --nproc=1 "$MCP" -q --json -j 4 src dst
[ ! -s "$ERR" ] || { show_output; fail "-q: stderr not empty"; }
grep -q '"jobs":4,"workers":0,' "$OUT" ||
	{ show_output; fail "--json: not 4 jobs and 0 workers"; }
expect_same src dst
rm dst

# Room for some workers, not all: a warning that says how many.
others=$(pgrep -c -u nobody) || others=0
expect_exit 0 as_nobody $((others + 3))
expect_no_stdout
grep -q '^mcp: could start only [0-9]* of 4 workers: fork: ' "$ERR" ||
	{ show_output; fail "no warning about the missing workers"; }
expect_same src dst
