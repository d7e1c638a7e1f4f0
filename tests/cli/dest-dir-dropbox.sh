#!/bin/sh
# A drop box: a directory its user may write and search but not read
# (mode 0733, or 1733 with the sticky bit).  It cannot be opened to be
# fsync'd, so mcp syncs the file system through DEST instead (syncfs):
# copies into it, new or over an old DEST, plain or --atomic, succeed
# and stay.  Root reads every directory, so mcp runs as nobody.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd setpriv
id nobody >/dev/null 2>&1 || skip "there is no user nobody"
chmod 755 "$TMP" "$WORK"
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MCP" ||
	skip "nobody cannot run $MCP"
random_file src 3000000
chmod 644 src

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$MCP" "$@"
}

# copies_into BOX MCP_ARG...: as nobody, mcp MCP_ARG... src BOX/dst
# succeeds silently, and BOX/dst is src.
copies_into() {
	lib_box=$1
	shift
	expect_exit 0 as_nobody "$@" src "$lib_box/dst"
	expect_silent
	expect_same src "$lib_box/dst"
}

for mode in 733 1733; do
	mkdir "box$mode"
	chmod "$mode" "box$mode"
	b=box$mode
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		ls "$b" >/dev/null 2>&1 && hard_error "nobody can read $b"
	copies_into "$b" -j 2        # new
	copies_into "$b" -j 2        # over the old one, emptied
	copies_into "$b" --atomic    # replaced
	rm "$b/dst"
	copies_into "$b" --atomic -j 2 # new
	# Into the directory, by its name.
	expect_exit 0 as_nobody src "$b/"
	expect_silent
	expect_same src "$b/src"
	no_leftovers "$b" dst src
done

# The name is made durable, not skipped: where strace can show it, a new
# DEST, plain and --atomic, ends with a successful syncfs.
command -v strace >/dev/null 2>&1 &&
	strace -f -qq -o /dev/null true 2>/dev/null || exit 0
# LeakSanitizer cannot run under ptrace; leaks are checked by the other
# tests and the copies above.
if [ -n "${MCP_SANITIZED:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
fi
for args in -j2 --atomic; do
	rm -f box733/dst
	expect_exit 0 strace -f -qq -o "$TMP/x/trace" -e trace=syncfs \
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$MCP" "$args" src box733/dst
	grep -q '^[0-9]* *syncfs([0-9]*) *= 0$' "$TMP/x/trace" || {
		cat "$TMP/x/trace" >&2
		fail "mcp $args src box733/dst: no syncfs"
	}
	expect_same src box733/dst
done
