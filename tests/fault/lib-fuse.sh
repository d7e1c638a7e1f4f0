# shellcheck shell=sh
# lib-fuse.sh - what the fault tests share: mounting faultfs, the FUSE
# file system of tests/fault/faultfs.c that fails on purpose.  Sourced
# after lib.sh, never run:
#
#	. "$MCP_SRCDIR/tests/cli/lib.sh"
#	. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"
#
# `make check` sets FAULTFS to the built faultfs, or leaves it empty when
# libfuse3 was not found; the tests then skip.  faultfs serves /good,
# /eio and /shrink (read-only, the pattern of `faultfs --print-pattern`)
# and /out/, a writable directory kept in memory; its options say where
# reads and writes fail.  A mount is always undone when the test ends,
# passed or failed, so that lib.sh can remove the private directory.

# How long a mount may take to appear, in steps of 0.05 s.
LIB_FUSE_STEPS=100
# Mounts made so far, to name their logs.
LIB_FUSE_N=0
# The faultfs processes already stopped: at exit, their pids may belong
# to somebody else.
LIB_FUSE_STOPPED=

# lib_fuse_mounted DIR: DIR (absolute) is a mount point, by the kernel's
# table: unlike stat or mountpoint(1), reading it cannot hang on a
# stopped or stuck faultfs.
lib_fuse_mounted() {
	awk -v d="$1" '$2 == d { found = 1 } END { exit !found }' /proc/mounts
}

# lib_fuse_stop DIR PID: end faultfs PID (it unmounts DIR as it leaves)
# and make sure DIR is unmounted.  A stuck faultfs is killed first, which
# fails whatever waits on it, so that nothing, umount included, hangs;
# a busy mount is detached.  For at_exit; never fails.
lib_fuse_stop() {
	case " $LIB_FUSE_STOPPED " in
	*" $2 "*) return 0 ;;
	esac
	LIB_FUSE_STOPPED="$LIB_FUSE_STOPPED $2"
	# CONT too: a stopped process acts on TERM only once it runs.
	if kill -s TERM "$2" 2>/dev/null; then
		kill -s CONT "$2" 2>/dev/null || :
	fi
	lib_f=0
	while kill -0 "$2" 2>/dev/null && [ "$lib_f" -lt 40 ]; do
		sleep 0.05
		lib_f=$((lib_f + 1))
	done
	kill -s KILL "$2" 2>/dev/null || :
	wait "$2" 2>/dev/null || :
	if lib_fuse_mounted "$1"; then
		umount "$1" 2>/dev/null || umount -l "$1" 2>/dev/null || :
	fi
	return 0
}

# lib_fuse_start DIR ARG...: start faultfs ARG... on DIR (absolute) in
# the background, its output in $LIB_FUSE_LOG, undone at exit; wait until
# DIR is a mount point.  Returns 0, or 1 when faultfs died or the mount
# did not appear within 5 s.
lib_fuse_start() {
	lib_m=$1
	shift
	LIB_FUSE_N=$((LIB_FUSE_N + 1))
	LIB_FUSE_LOG=$TMP/x/faultfs.$LIB_FUSE_N.log
	"$FAULTFS" "$@" "$lib_m" >"$LIB_FUSE_LOG" 2>&1 &
	LIB_FUSE_PID=$!
	at_exit "lib_fuse_stop '$lib_m' $LIB_FUSE_PID"
	lib_f=0
	while [ "$lib_f" -lt "$LIB_FUSE_STEPS" ]; do
		mountpoint -q "$lib_m" && return 0
		kill -0 "$LIB_FUSE_PID" 2>/dev/null || return 1
		sleep 0.05
		lib_f=$((lib_f + 1))
	done
	return 1
}

# need_faultfs: skip unless faultfs was built and a FUSE file system can
# be mounted here (root, /dev/fuse, a kernel and a container that allow
# it): a trial mount must work.
need_faultfs() {
	need_root
	need_cmd mountpoint umount awk
	[ -n "${FAULTFS:-}" ] || skip "faultfs was not built (needs libfuse3)"
	[ -x "$FAULTFS" ] || skip "FAULTFS=$FAULTFS: not an executable"
	[ -c /dev/fuse ] || skip "needs /dev/fuse"
	mkdir "$TMP/x/probe" || hard_error "cannot make $TMP/x/probe"
	if ! lib_fuse_start "$TMP/x/probe"; then
		sed 's/^/faultfs: /' "$LIB_FUSE_LOG"
		skip "cannot mount a FUSE file system here"
	fi
	lib_fuse_stop "$TMP/x/probe" "$LIB_FUSE_PID"
	! lib_fuse_mounted "$TMP/x/probe" ||
		hard_error "cannot unmount $TMP/x/probe"
	rmdir "$TMP/x/probe"
}

# mount_faultfs DIR [OPTION]...: mount faultfs with these options on DIR
# (made if missing; relative to $WORK like every path of the tests), and
# have it unmounted and stopped however the test ends.
mount_faultfs() {
	lib_d=$1
	shift
	mkdir -p -- "$lib_d" || hard_error "cannot make $lib_d"
	lib_d=$(cd -- "$lib_d" && pwd) || hard_error "cannot enter $lib_d"
	if ! lib_fuse_start "$lib_d" "$@"; then
		cat "$LIB_FUSE_LOG" >&2
		hard_error "faultfs $* did not mount on $lib_d"
	fi
}

# pattern_file FILE N: FILE holds the first N bytes of faultfs's pattern,
# what /good (and /eio, /shrink before their faults) read as.
pattern_file() {
	"$FAULTFS" --print-pattern "$2" >"$1" || hard_error "cannot write $1"
}

# MCP_LIMIT: seconds a copy may take before it counts as hung (default
# 60, ten times that under make check-valgrind).  A FUSE server and the
# kernel's page cache can deadlock; a hung mcp must fail the test, not
# hold `make check` (and the mount) forever.
MCP_LIMIT=${MCP_LIMIT:-60}

# run_mcp ARG...: "$MCP" ARG..., killed after $MCP_LIMIT seconds (exit
# status 137) when timeout(1) is there.  SIGKILL, not lib.sh's within
# (SIGTERM): mcp catches SIGTERM, and a process waiting on a stuck FUSE
# server wakes only for a fatal signal.  For expect_exit.
run_mcp() {
	lib_secs=$MCP_LIMIT
	[ -z "${MCP_VALGRIND:-}" ] || lib_secs=$((lib_secs * 10))
	if command -v timeout >/dev/null 2>&1; then
		timeout -s KILL "$lib_secs" "$MCP" "$@"
	else
		"$MCP" "$@"
	fi
}

# expect_stderr_either LINE...: stderr of the last command is one line,
# exactly one of these (for what the kernel decides, such as which call
# reports a failed write-back).
expect_stderr_either() {
	if [ "$(wc -l <"$ERR")" -eq 1 ]; then
		for lib_l in "$@"; do
			[ "$(cat "$ERR")" != "$lib_l" ] || return 0
		done
	fi
	show_output
	printf 'expected one of:\n' >&2
	printf '  %s\n' "$@" >&2
	fail "unexpected stderr (above)"
}

# expect_writeback_error DEST REASON: stderr is the one line of a failed
# write-back of DEST.  The syscall that reports it depends on the
# kernel: where FUSE ends write-back only at the server's answer (as
# Linux 6.18 does), the worker's sync_file_range that waits for the
# window; where it ends it early (kernels that copied the pages aside),
# maybe only the final fsync.
expect_writeback_error() {
	expect_stderr_either "mcp: $1: sync_file_range: $2" "mcp: $1: fsync: $2"
}
