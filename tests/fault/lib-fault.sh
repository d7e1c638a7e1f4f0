# shellcheck shell=sh
# lib-fault.sh - what the fault-injection tests share, sourced after
# tests/cli/lib.sh:
#
#	. "$MCP_SRCDIR/tests/cli/lib.sh"
#	. "$MCP_SRCDIR/tests/fault/lib-fault.sh"
#
# Randomness comes from /dev/urandom and every random choice is printed,
# so the log of a failed run says what to replay.

# random_below N: a random integer in [0, N), N <= 65536.
random_below() {
	echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1))
}

# sleep_ms MS: sleep MS milliseconds.
sleep_ms() {
	sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
}

# time_ms CMD [ARG]...: run CMD, which must succeed silently, and print
# how many milliseconds it took.
time_ms() {
	lib_t0=$(date +%s%N)
	"$@" >"$OUT" 2>"$ERR" || { show_output; hard_error "$* failed"; }
	echo $((($(date +%s%N) - lib_t0) / 1000000))
}

# mcp_bg ARG...: start "$MCP" ARG... in the background with the
# terminating signals at their defaults (a background job of a script
# has SIGINT ignored, and mcp keeps an ignored signal ignored), stderr in
# $ERR.  Sets BG_PID, which lib.sh kills if the test ends early.
mcp_bg() {
	env --default-signal=INT,TERM,HUP "$MCP" "$@" 2>"$ERR" &
	# shellcheck disable=SC2034 # lib.sh's, for finish_copy and at_exit
	BG_PID=$!
}

# sig_status NAME: the shell's status for a process killed by signal NAME.
sig_status() {
	case $1 in
	HUP) echo 129 ;;
	INT) echo 130 ;;
	KILL) echo 137 ;;
	TERM) echo 143 ;;
	*) hard_error "sig_status: no number known for $1" ;;
	esac
}

# procs_with TOKEN: the pids of processes whose command line holds TOKEN
# (workers of a copy have their parent's command line).
procs_with() {
	pgrep -f -- "$1" | tr '\n' ' ' || :
}

# expect_no_procs TOKEN WITHIN_MS: within WITHIN_MS no process's command
# line holds TOKEN any more.
expect_no_procs() {
	lib_t=0
	while [ -n "$(procs_with "$1")" ]; do
		[ "$lib_t" -lt "$2" ] ||
			fail "processes of '$1' left after $2 ms: $(procs_with "$1")"
		sleep 0.01
		lib_t=$((lib_t + 10))
	done
}

# count_outcome NAME: add one to the tally NAME (stopped, finished...).
count_outcome() {
	eval "TALLY_$1=\$((\${TALLY_$1:-0} + 1))"
}

# tally NAME...: print the tallies, for the log.
tally() {
	for lib_n in "$@"; do
		eval "printf '%s=%s ' $lib_n \${TALLY_$lib_n:-0}"
	done
	echo
}

# The full-disk tests (enospc-*.sh) share what follows.  full_disk_setup
# SLACK ENTRY... makes an old DEST mnt/old (mode 640, an old mtime) on
# the file system mounted at mnt and notes the free space.  SLACK is how
# many blocks a failed copy may leave used (the file system's own
# bookkeeping); ENTRY... is what mnt holds beside old (lost+found).
full_disk_setup() {
	FD_SLACK=$1
	shift
	FD_KEEP="$* old"
	FD_BLOCK=$(stat -f -c %S mnt)
	random_file mnt/old 1000000
	chmod 640 mnt/old
	cp mnt/old "$TMP/x/old.saved"
	set_old_mtime mnt/old
	FD_BEFORE=$(stat -c '%i %a %y' mnt/old)
	FD_BASE=$(free_blocks)
}

# free_blocks: the blocks of mnt free to root.
free_blocks() {
	stat -f -c %f mnt
}

# space_back WHAT: a failed copy took none of the space for good.
space_back() {
	lib_now=$(free_blocks)
	[ "$lib_now" -ge $((FD_BASE - FD_SLACK)) ] ||
		fail "$*: $(((FD_BASE - lib_now) * FD_BLOCK)) bytes of space not given back"
}

# old_intact WHAT: the old DEST is as it was, byte for byte.
old_intact() {
	expect_same "$TMP/x/old.saved" mnt/old
	[ "$(stat -c '%i %a %y' mnt/old)" = "$FD_BEFORE" ] ||
		fail "$*: mnt/old changed: $(stat -c '%i %a %y' mnt/old)"
}

# fails_full DEST-AS-PRINTED MCP_ARG...: mcp fails on the full disk with
# exactly that line, and leaves the disk as it found it.
fails_full() {
	lib_name=$1
	shift
	expect_exit 1 "$MCP" "$@"
	expect_no_stdout
	expect_stderr "mcp: $lib_name: No space left on device"
	# shellcheck disable=SC2086 # a list of names
	no_leftovers mnt $FD_KEEP
	old_intact "mcp $*"
	space_back "mcp $*"
}

# The random-signal tests (signals-random, worker-kill-random,
# parent-kill) share what follows.  signal_setup RUNS MCP_ARG...: skip
# unless they can run; make src (64 MiB), old and old.orig (an old DEST
# for --atomic); set RUNS (MCP_FAULT_RUNS overrides) and SPAN, the ms
# that "$MCP" MCP_ARG... src takes here, so that delays can span it.
signal_setup() {
	need_root
	need_cmd pgrep od
	need_env_signals
	RUNS=${MCP_FAULT_RUNS:-$1}
	shift
	random_file src 67108864
	random_file old 4096
	cp old old.orig
	SPAN=$(time_ms "$MCP" "$@" src dst-timed)
	rm -f dst-timed
	echo "mcp $* takes about $SPAN ms here; $RUNS runs"
}

# mode_of I: run I's mode, cycling: plain, atomic, verify.
mode_of() {
	case $(($1 % 3)) in
	0) echo plain ;;
	1) echo atomic ;;
	*) echo verify ;;
	esac
}

# mcp_bg_mode MODE DST: as mcp_bg, copy src to DST with -j 4 -c 256K in
# MODE: plain; atomic, over a fresh copy of old.orig; or verify.
mcp_bg_mode() {
	lib_dst=$2
	case $1 in
	plain) set -- ;;
	atomic) set -- --atomic; cp old.orig "$lib_dst" ;;
	verify) set -- --verify ;;
	esac
	mcp_bg -j 4 -c 256K "$@" src "$lib_dst"
}
