#!/bin/sh
# A failed copy removes DEST and then syncs its directory, so that a
# power cut soon after cannot bring the name back on a full-size file of
# zeros (DEST was sized in full before its data reached the disk).
# Through a symbolic link, where DEST is emptied instead, the emptied
# size is synced.
# strace shows the order: the unlink of DEST, then an fsync of a
# descriptor of its directory (or a syncfs).  The copy fails under
# ulimit -f, as soon as DEST is sized.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd strace prlimit awk
strace -f -qq -o /dev/null true 2>/dev/null ||
	skip "strace cannot trace here (ptrace not allowed)"
# LeakSanitizer cannot run under ptrace; leaks are checked by the other
# tests.
if [ -n "${MCP_SANITIZED:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
fi
random_file src 8388608
mkdir sub

# synced_after_unlink TRACE DEST: after the successful unlink of DEST,
# a directory opened with O_DIRECTORY is fsync'd, or syncfs succeeds.
synced_after_unlink() {
	awk -v dst="\"$2\"" '
		{ sub(/^[0-9]+ +/, "") }
		/^unlink/ && index($0, dst) && / = 0$/ { gone = 1; next }
		!gone { next }
		/^openat\(.*O_DIRECTORY.*\) += [0-9]+$/ { dir[$NF] = 1; next }
		/^fsync\([0-9]+\) += 0$/ {
			fd = $0
			sub(/^fsync\(/, "", fd)
			sub(/\).*/, "", fd)
			if (fd in dir)
				ok = 1
		}
		/^syncfs\(/ && / = 0$/ { ok = 1 }
		END { exit !ok }' "$1"
}

# fails_synced DEST MCP_ARG...: mcp MCP_ARG... src DEST fails with "File
# too large", DEST is gone, and its directory was synced after.
fails_synced() {
	lib_dst=$1
	shift
	expect_exit 1 strace -f -qq -o "$TMP/x/trace" \
		-e trace=openat,unlink,unlinkat,fsync,syncfs \
		prlimit --fsize=1048576 "$MCP" "$@" src "$lib_dst"
	expect_stderr "mcp: $lib_dst: File too large"
	[ ! -e "$lib_dst" ] || fail "mcp $* src $lib_dst: DEST left behind"
	synced_after_unlink "$TMP/x/trace" "$lib_dst" || {
		sed 's/^/strace: /' "$TMP/x/trace" >&2
		fail "mcp $* src $lib_dst: directory not synced after the unlink"
	}
}

# A new DEST, here and in a subdirectory; one mcp emptied.
fails_synced dst -j 2
fails_synced sub/dst -j 1
random_file sub/old 1000
fails_synced sub/old
no_leftovers . src sub
no_leftovers sub

# Through a symbolic link DEST cannot be removed, only emptied: the
# emptied size is fsync'd, or a crash could bring the full size back.
random_file target 1000
ln -s target lnk
expect_exit 1 strace -f -qq -o "$TMP/x/trace" -e trace=ftruncate,fsync \
	prlimit --fsize=1048576 "$MCP" src lnk
expect_stderr "mcp: lnk: File too large"
[ -L lnk ] && [ ! -s target ] || fail "the link's target is not empty"
awk '
	{ sub(/^[0-9]+ +/, "") }
	/^ftruncate\([0-9]+, 0\) += 0$/ {
		fd = $0
		sub(/^ftruncate\(/, "", fd)
		sub(/,.*/, "", fd)
		emptied[fd] = 1
		next
	}
	/^fsync\([0-9]+\) += 0$/ {
		fd = $0
		sub(/^fsync\(/, "", fd)
		sub(/\).*/, "", fd)
		if (fd in emptied)
			ok = 1
	}
	END { exit !ok }' "$TMP/x/trace" || {
	sed 's/^/strace: /' "$TMP/x/trace" >&2
	fail "the emptied target of lnk was not synced"
}
rm lnk target
no_leftovers . src sub
