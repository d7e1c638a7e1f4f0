#!/bin/sh
# Under load: 32 copies of 32 different files (0 bytes to 16 MiB, many
# sizes not a multiple of the page) and 8 copies into one directory, 40
# mcp processes with two workers each, all started together.  Every one
# exits 0 silently, every DEST is byte-identical to its SOURCE, the
# directory holds exactly the 8 copies, and no mcp process is left
# afterwards.  Needs no root.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd pgrep cmp

# 32 sizes for src1..src32, and 8 for file1..file8 (about 230 MiB in all).
SIZES="0 1 4095 4096 4097 12345 65536 65537 100000 262143 524289 1000000
	1048576 1048577 2000000 2097151 3000001 4194304 4194305 5000000
	6291457 7000000 8388607 8388608 9999999 11534337 12000000 13631489
	14680063 15000000 16777215 16777216"
DIR_SIZES="0 5000 1048577 2097152 3333333 4194305 6000000 8388609"

i=0
for n in $SIZES; do
	i=$((i + 1))
	random_file "src$i" "$n"
done
[ "$i" = 32 ] || hard_error "$i sizes for 32 files"
i=0
for n in $DIR_SIZES; do
	i=$((i + 1))
	random_file "file$i" "$n"
done
[ "$i" = 8 ] || hard_error "$i sizes for 8 files"
mkdir dir

# Every operand is an absolute path under $WORK, so that pgrep -f finds
# any mcp of this test, workers included, and nothing else.
PIDS=
# shellcheck disable=SC2016 # expanded when the test ends
at_exit 'for p in $PIDS; do kill -s KILL "$p" 2>/dev/null; done'
i=0
while [ "$i" -lt 32 ]; do
	i=$((i + 1))
	"$MCP" -j 2 "$WORK/src$i" "$WORK/dst$i" 2>"$TMP/x/err.dst$i" &
	eval "pid_dst$i=\$!"
	PIDS="$PIDS $!"
	if [ "$i" -le 8 ]; then
		"$MCP" -j 2 "$WORK/file$i" "$WORK/dir/" 2>"$TMP/x/err.dir$i" &
		eval "pid_dir$i=\$!"
		PIDS="$PIDS $!"
	fi
done

# For the log: how many mcp processes (workers too) run at once.
echo "$(pgrep -f "$WORK/" | wc -l) mcp processes running just after the start"

# Wait for each one (they all run already) and judge it.
bad=
i=0
while [ "$i" -lt 32 ]; do
	i=$((i + 1))
	for job in "dst$i" "dir$i"; do
		eval "pid=\${pid_$job:-}"
		[ -n "$pid" ] || continue
		rc=0
		wait "$pid" || rc=$?
		case $job in
		dst*) what="mcp -j 2 src$i dst$i" ;;
		*) what="mcp -j 2 file$i dir/" ;;
		esac
		if [ "$rc" != 0 ] || [ -s "$TMP/x/err.$job" ]; then
			echo "$what: $(describe_status "$rc")" >&2
			cat "$TMP/x/err.$job" >&2
			bad="$bad $job"
		fi
	done
done
PIDS=
[ -z "$bad" ] || fail "failed or not silent:$bad"

stray=$(pgrep -f "$WORK/" | tr '\n' ' ') || :
[ -z "$stray" ] || fail "mcp processes left behind: $stray"

i=0
while [ "$i" -lt 32 ]; do
	i=$((i + 1))
	expect_same "src$i" "dst$i"
	if [ "$i" -le 8 ]; then
		expect_same "file$i" "dir/file$i"
	fi
done
no_leftovers dir file1 file2 file3 file4 file5 file6 file7 file8
