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
