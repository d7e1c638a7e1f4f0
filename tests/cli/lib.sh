# shellcheck shell=sh
# lib.sh - what every CLI test of mcp shares.  Sourced, never run:
#
#	. "$MCP_SRCDIR/tests/cli/lib.sh"
#
# It checks the environment `make check` gives (MCP, MCP_SRCDIR), makes a
# private directory under ${TMPDIR:-/tmp}, removes it on exit, and changes
# into "$WORK" inside it.  Tests never write into the source tree, which
# `make distcheck` makes read-only.  Exit statuses follow automake's
# harness: 0 pass, 1 fail, 77 skip, 99 hard error (the test could not run).
#
# Layout of the private directory $TMP:
#	$WORK		the current directory of the test; files under test
#	$OUT, $ERR	stdout and stderr of the last expect_exit
#	$TMP/x		scratch the tests may use freely

ME=$(basename "$0" .sh)

if [ -z "${MCP:-}" ] || [ -z "${MCP_SRCDIR:-}" ]; then
	echo "$ME: MCP and MCP_SRCDIR must be set; run me through 'make check'" >&2
	exit 99
fi
if [ ! -x "$MCP" ]; then
	echo "$ME: $MCP: not an executable; build mcp first" >&2
	exit 99
fi
GOLDEN=$MCP_SRCDIR/tests/cli/golden

# Commands to run before the private directory goes (an unmount, a kill),
# newest first.  Add with at_exit.
LIB_AT_EXIT=

# at_exit CMD: run the shell command CMD when the test ends, however.
at_exit() {
	LIB_AT_EXIT="$1
$LIB_AT_EXIT"
}

lib_cleanup() {
	lib_rc=$?
	set +e
	cd / || :
	eval "$LIB_AT_EXIT"
	# --one-file-system: never reach through a mount a test failed to undo.
	rm -rf --one-file-system "$TMP" 2>/dev/null || rm -rf "$TMP"
	exit "$lib_rc"
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/mcp-$ME.XXXXXX") || {
	echo "$ME: cannot make a temporary directory" >&2
	exit 99
}
trap lib_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
WORK=$TMP/w
OUT=$TMP/stdout
ERR=$TMP/stderr
mkdir "$WORK" "$TMP/x" || exit 99
cd "$WORK" || exit 99

# fail MSG: the test failed.
fail() {
	echo "FAIL: $ME: $*" >&2
	exit 1
}

# skip WHY: the test cannot run here; say why.
skip() {
	echo "SKIP: $ME: $*"
	exit 77
}

# hard_error MSG: the test itself broke (not mcp).
hard_error() {
	echo "ERROR: $ME: $*" >&2
	exit 99
}

# need_root: skip unless running as root.
need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# need_cmd CMD...: skip unless every CMD is available.
need_cmd() {
	for lib_c in "$@"; do
		command -v "$lib_c" >/dev/null 2>&1 ||
			skip "needs the command '$lib_c'"
	done
}

# within SECONDS CMD [ARG]...: run CMD under timeout(1), with SECONDS
# stretched tenfold under make check-valgrind, where mcp runs slower.
within() {
	lib_secs=$1
	shift
	[ -z "${MCP_VALGRIND:-}" ] || lib_secs=$((lib_secs * 10))
	timeout "$lib_secs" "$@"
}

# settle: give an mcp started in the background the moment it needs to
# install its signal handlers: 0.1 s, or 1 s under make check-valgrind
# (where it starts in about 0.5 s).
settle() {
	if [ -n "${MCP_VALGRIND:-}" ]; then
		sleep 1
	else
		sleep 0.1
	fi
}

# show_output: print the captured stdout and stderr, for a failure report.
show_output() {
	if [ -s "$OUT" ]; then
		echo "--- stdout:" >&2
		cat "$OUT" >&2
	fi
	if [ -s "$ERR" ]; then
		echo "--- stderr:" >&2
		cat "$ERR" >&2
	fi
}

# describe_status N: "exit status N", naming the signal for N > 128.
describe_status() {
	if [ "$1" -gt 128 ]; then
		echo "exit status $1 (killed by signal $(($1 - 128)):" \
			"$(kill -l "$(($1 - 128))" 2>/dev/null || echo '?'))"
	else
		echo "exit status $1"
	fi
}

# expect_exit N CMD [ARG]...: run CMD with its stdout in $OUT and its
# stderr in $ERR, and fail unless it exits with status N.  Stdin is the
# caller's: redirect expect_exit itself to change it.
expect_exit() {
	lib_want=$1
	shift
	lib_rc=0
	"$@" >"$OUT" 2>"$ERR" || lib_rc=$?
	if [ "$lib_rc" != "$lib_want" ]; then
		show_output
		fail "$*: $(describe_status "$lib_rc"), expected $lib_want"
	fi
}

# expect_silent: the last command printed nothing at all.
expect_silent() {
	if [ -s "$OUT" ] || [ -s "$ERR" ]; then
		show_output
		fail "expected no output at all"
	fi
}

# expect_no_stdout: the last command printed nothing on stdout.
expect_no_stdout() {
	if [ -s "$OUT" ]; then
		show_output
		fail "expected nothing on stdout"
	fi
}

# expect_stderr LINE...: stderr of the last command is exactly these lines.
expect_stderr() {
	printf '%s\n' "$@" >"$TMP/expected"
	diff -u "$TMP/expected" "$ERR" >&2 || fail "unexpected stderr (above)"
}

# expect_stderr_has TEXT: stderr is one line, and it contains TEXT.
expect_stderr_has() {
	lib_n=$(wc -l <"$ERR")
	if [ "$lib_n" -ne 1 ] || ! grep -F -q -e "$1" "$ERR"; then
		show_output
		fail "expected one line on stderr containing '$1'"
	fi
}

# expect_golden NAME [FILE]: FILE (default $OUT) matches golden/NAME.
expect_golden() {
	diff -u "$GOLDEN/$1" "${2:-$OUT}" >&2 ||
		fail "output differs from golden/$1 (above)"
}

# file_size FILE: its size in bytes.
file_size() {
	stat -c %s -- "$1"
}

# file_mode FILE: its permission bits in octal, like 644.
file_mode() {
	stat -c %a -- "$1"
}

# file_mtime FILE: its modification time, to the nanosecond.
file_mtime() {
	stat -c %y -- "$1"
}

# file_alloc FILE: the bytes FILE takes on disk.
file_alloc() {
	echo $(($(stat -c '%b * %B' -- "$1")))
}

# need_holes: skip unless the file system of $TMPDIR keeps holes.
need_holes() {
	truncate -s 16M "$TMP/x/holes" || hard_error "cannot make a sparse file"
	[ "$(file_alloc "$TMP/x/holes")" -lt 1048576 ] ||
		skip "the file system of ${TMPDIR:-/tmp} has no sparse files"
	rm -f "$TMP/x/holes"
}

# random_file FILE N: make FILE of exactly N random bytes.
random_file() {
	head -c "$2" /dev/urandom >"$1" || hard_error "cannot write $1"
	[ "$(file_size "$1")" = "$2" ] || hard_error "$1: short write"
}

# sparse_file FILE N: make FILE of N bytes, all of them a hole.
sparse_file() {
	rm -f -- "$1"
	truncate -s "$2" -- "$1" || hard_error "cannot make sparse $1"
}

# write_random_at FILE OFFSET N: overwrite N bytes of FILE at OFFSET with
# random ones, keeping the rest (and the holes) as they are.
write_random_at() {
	head -c "$3" /dev/urandom |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none ||
		hard_error "cannot write into $1 at $2"
}

# expect_same SRC DST: DST exists with exactly SRC's size and bytes.
expect_same() {
	[ -f "$2" ] || fail "$2 was not created"
	lib_s=$(file_size "$1")
	lib_d=$(file_size "$2")
	[ "$lib_s" = "$lib_d" ] || fail "$2 has $lib_d bytes, $1 has $lib_s"
	cmp -- "$1" "$2" >&2 || fail "$2 differs from $1"
}

# no_leftovers DIR [NAME]...: DIR holds exactly the entries NAME...
# (dot files included), nothing a failed or refused copy left behind.
no_leftovers() {
	lib_dir=$1
	shift
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | LC_ALL=C sort >"$TMP/expected"
	else
		: >"$TMP/expected"
	fi
	(cd "$lib_dir" && ls -A) | LC_ALL=C sort >"$TMP/actual"
	diff -u "$TMP/expected" "$TMP/actual" >&2 ||
		fail "unexpected contents of $lib_dir (above: - expected, + found)"
}

# set_old_mtime FILE...: a fixed, old mtime, so any rewrite shows.
set_old_mtime() {
	touch -d '2001-02-03 04:05:06.789' -- "$@" ||
		hard_error "cannot set the mtime of $*"
}

# need_env_signals: skip unless env(1) can reset signal dispositions; a
# job started with & in a script has SIGINT ignored, and mcp, like cp,
# keeps an inherited "ignore".
need_env_signals() {
	env --default-signal=INT true 2>/dev/null ||
		skip "env --default-signal is missing (coreutils >= 8.31)"
}

# BG_PID: the background mcp of start_copy, killed if the test ends early.
BG_PID=
# shellcheck disable=SC2016 # expanded when the test ends
at_exit 'if [ -n "$BG_PID" ]; then kill -s KILL "$BG_PID" 2>/dev/null; fi'

# start_copy N [ENV_ARG...] -- MCP_ARG...: start "$MCP" MCP_ARG... in
# the background through env(1) with SIGINT, SIGTERM and SIGHUP at their
# defaults (then ENV_ARG..., more env options or a command like setsid),
# stderr in $ERR, and wait until N workers run.  Sets BG_PID and
# BG_WORKERS (their pids).  Skips when the copy ends before that: the
# machine is too fast for the file.
start_copy() {
	lib_want=$1
	shift
	lib_pre=
	while [ "$1" != -- ]; do
		lib_pre="$lib_pre $1"
		shift
	done
	shift
	# shellcheck disable=SC2086 # lib_pre is a list of plain words
	env --default-signal=INT,TERM,HUP $lib_pre "$MCP" "$@" 2>"$ERR" &
	BG_PID=$!
	lib_i=0
	while [ "$lib_i" -lt 250 ]; do
		BG_WORKERS=$(pgrep -P "$BG_PID" | tr '\n' ' ') || :
		# shellcheck disable=SC2086 # count the words
		[ "$(set -- $BG_WORKERS && echo $#)" -lt "$lib_want" ] || return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.02
		lib_i=$((lib_i + 1))
	done
	kill -0 "$BG_PID" 2>/dev/null ||
		skip "mcp $*: ended before $lib_want workers were seen"
	fail "mcp $*: $lib_want workers did not start within 5 s"
}

# finish_copy: wait for the background mcp; its status goes in BG_RC.
# shellcheck disable=SC2034 # BG_RC is for the caller
finish_copy() {
	BG_RC=0
	# (dash reports a job killed by a signal on wait's stderr: not news.)
	wait "$BG_PID" 2>/dev/null || BG_RC=$?
	BG_PID=
}

# expect_gone PID...: none of these processes remains (after at most 2 s).
expect_gone() {
	lib_i=0
	for lib_p in "$@"; do
		while kill -0 "$lib_p" 2>/dev/null; do
			[ "$lib_i" -lt 100 ] || fail "process $lib_p is still there"
			sleep 0.02
			lib_i=$((lib_i + 1))
		done
	done
}

# expect_pipe_exit N FILE CMD [ARG]...: as expect_exit, with FILE's bytes
# on CMD's stdin through a pipe rather than the file itself (which CMD
# could stat, seek or map).
expect_pipe_exit() {
	lib_want=$1
	lib_file=$2
	shift 2
	lib_rc=0
	# shellcheck disable=SC2002 # the pipe is the point
	cat -- "$lib_file" | "$@" >"$OUT" 2>"$ERR" || lib_rc=$?
	if [ "$lib_rc" != "$lib_want" ]; then
		show_output
		fail "cat $lib_file | $*: $(describe_status "$lib_rc"), expected $lib_want"
	fi
}
