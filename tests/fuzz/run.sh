#!/bin/sh
# run.sh - fuzz each target for a while, starting from the kept corpus.
#
#   tests/fuzz/run.sh [SECONDS] [FUZZ_BIN_DIR]
#
# Runs fuzz_size, fuzz_plan, fuzz_options and fuzz_journal (libFuzzer binaries, found
# in FUZZ_BIN_DIR, default tests/fuzz under the current directory) for
# SECONDS each (default 20).  New inputs go to a scratch directory; the
# corpus in the source tree, next to this script, is read only (make
# distcheck makes it read-only anyway).  Prints each target's final
# stats; exits 1 if any target crashed, leaving its scratch directory
# (with the crash-* file) behind and saying where.  Extra libFuzzer flags
# can come in FUZZ_FLAGS, e.g. FUZZ_FLAGS=-jobs=2.
set -u

seconds=${1:-20}
bindir=${2:-tests/fuzz}
here=$(cd "$(dirname "$0")" && pwd)
targets="size plan options journal"

case $seconds in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS] [FUZZ_BIN_DIR]" >&2
	exit 2
	;;
esac
for t in $targets; do
	if [ ! -x "$bindir/fuzz_$t" ]; then
		echo "$0: $bindir/fuzz_$t: no such fuzz binary" >&2
		exit 2
	fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mcp-fuzz.XXXXXX") || exit 2
failed=

for t in $targets; do
	mkdir "$scratch/$t" || exit 2
	case $t in
	plan) max_len=64 ;;
	*) max_len=256 ;;
	esac
	dict=
	[ -f "$here/$t.dict" ] && dict=-dict=$here/$t.dict
	log=$scratch/$t.log
	# shellcheck disable=SC2086 # $dict and $FUZZ_FLAGS: word splitting wanted
	"$bindir/fuzz_$t" -max_total_time="$seconds" -max_len="$max_len" \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix="$scratch/$t-" $dict ${FUZZ_FLAGS:-} \
		"$scratch/$t" "$here/corpus/$t" >"$log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	new=$(find "$scratch/$t" -type f | wc -l | tr -d ' ')
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$t: ${stats:-(no stats line)}; execs ${execs:-?}; new inputs $new"
	else
		failed="$failed $t"
		echo "fuzz_$t: FAILED (exit $rc); log: $log"
		tail -n 40 "$log"
		for f in "$scratch/$t"-*; do
			[ -f "$f" ] && echo "fuzz_$t: crashing input: $f"
		done
	fi
done

if [ -n "$failed" ]; then
	echo "fuzzing failed:$failed; scratch kept in $scratch" >&2
	exit 1
fi
rm -rf "$scratch"
exit 0
