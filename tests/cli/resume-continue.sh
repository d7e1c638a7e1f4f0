#!/bin/sh
# An interrupted --resume copy continues where it stopped: SIGKILL of
# mcp once its journal records half the chunks leaves the partial file
# and the journal; the same command with --resume (other -j and -c
# alike) then copies only the chunks not recorded, and DEST is
# byte-identical.  A SOURCE touched between the runs, or a damaged
# journal, starts over (and -v says why); a journal whose partial file is
# damaged but still proven ours starts over in it.  SIGINT keeps the
# partial copy and says how far it got.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd python3 setsid
need_env_signals
SIZE=33554432
CHUNK=65536
random_file src "$SIZE"

# journal_done FILE: the chunks FILE (a journal) records as durable.
journal_done() {
	python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read()
name = struct.unpack_from("<I", b, 12)[0]
n = struct.unpack_from("<Q", b, 16 + 8 * 6)[0]
bits = b[88 + name:88 + name + (n + 7) // 8]
print(sum(bin(x).count("1") for x in bits))
' "$1" 2>/dev/null || echo 0
}

# interrupt SIG DST: start a --resume copy of src to DST that writes its
# journal after every chunk, and send SIG to mcp once the journal records
# half the chunks.  The copy runs in a process group of its own (setsid),
# stopped while the journal is read, so that however fast the machine
# it cannot run to its end between two looks.  Skips when the copy ended
# first all the same.  Sets DONE, the chunks recorded before the signal.
interrupt() {
	setsid env --default-signal=INT,TERM,HUP "$MCP" --resume \
		--journal-interval=0 -j 2 -c "$CHUNK" src "$2" 2>"$ERR" &
	BG_PID=$!
	half=$((SIZE / CHUNK / 2))
	DONE=0
	# (Until setsid has run, the group does not exist yet.)
	while ! kill -s STOP -- "-$BG_PID" 2>/dev/null; do
		kill -0 "$BG_PID" 2>/dev/null || skip "the copy did not start"
		sleep 0.001
	done
	while :; do
		if ! kill -s STOP -- "-$BG_PID" 2>/dev/null || [ -e "$2" ]; then
			skip "the copy ended before half of it was recorded"
		fi
		[ ! -f ".$2.mcp-journal" ] ||
			DONE=$(journal_done ".$2.mcp-journal")
		[ "$DONE" -lt "$half" ] || break
		kill -s CONT -- "-$BG_PID"
		sleep 0.01
	done
	kill -s "$1" "$BG_PID"
	kill -s CONT -- "-$BG_PID" 2>/dev/null || :
	finish_copy
	echo "$1 after $DONE chunks of $((SIZE / CHUNK)): $(describe_status "$BG_RC")"
	[ ! -e "$2" ] || fail "$2 exists after an interrupted copy"
	[ -f ".$2.mcp-partial" ] && [ -f ".$2.mcp-journal" ] ||
		fail "no partial file and journal after $1"
}

# json_field NAME: the number NAME in the JSON object on stdout.
json_field() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$OUT" "$1"
}

interrupt KILL dst
[ "$BG_RC" = 137 ] || fail "killed mcp: $(describe_status "$BG_RC")"
# The partial file is not readable by others while incomplete.
[ "$(file_mode .dst.mcp-partial)" = 600 ] ||
	fail "partial file mode $(file_mode .dst.mcp-partial)"
expect_exit 0 "$MCP" --resume --json -v -j 3 -c 1M src dst
expect_same src dst
no_leftovers . src dst
resumed=$(json_field resumed_bytes)
copied=$(json_field bytes)
echo "second run: copied $copied, resumed $resumed"
[ "$resumed" -ge $((DONE * CHUNK)) ] ||
	fail "resumed $resumed bytes, the journal had $((DONE * CHUNK))"
[ $((resumed + copied)) = "$SIZE" ] ||
	fail "copied $copied + resumed $resumed is not $SIZE"
grep -q "'dst': -c ignored" "$ERR" || fail "-v did not say -c is ignored"
grep -q "'dst': resuming in '.dst.mcp-partial': $resumed of $SIZE bytes" "$ERR" ||
	{ cat "$ERR" >&2; fail "-v did not say what is resumed"; }
rm dst

# SIGINT: mcp dies of it, the partial copy stays, and it says so.
interrupt INT dst
[ "$BG_RC" = 130 ] || fail "SIGINT: $(describe_status "$BG_RC")"
grep -q "^mcp: dst: copy interrupted, .* of 32.0 MiB done; run the same command with --resume to continue$" "$ERR" ||
	{ cat "$ERR" >&2; fail "no 'copy interrupted' line after SIGINT"; }
# A SOURCE modified since (here only its mtime): start over.
touch src
expect_exit 0 "$MCP" --resume --json -v src dst
expect_same src dst
[ "$(json_field resumed_bytes)" = 0 ] || fail "resumed from a changed SOURCE"
grep -q "'dst': 'src' changed since the interrupted copy; starting over" "$ERR" ||
	{ cat "$ERR" >&2; fail "-v did not say SOURCE changed"; }
no_leftovers . src dst
rm dst

# A damaged journal: start over.  Its partial file cannot be proven ours
# any more, so it stays as it is, and the copy goes beside it.
interrupt KILL dst
printf 'X' | dd of=.dst.mcp-journal bs=1 seek=100 conv=notrunc status=none
cp .dst.mcp-partial partial.saved
expect_exit 0 "$MCP" --resume --json -v src dst
expect_same src dst
[ "$(json_field resumed_bytes)" = 0 ] || fail "resumed from a damaged journal"
grep -q "'dst': journal damaged: '.dst.mcp-journal'; starting over" "$ERR" ||
	{ cat "$ERR" >&2; fail "-v did not say the journal is damaged"; }
expect_same partial.saved .dst.mcp-partial
no_leftovers . src dst .dst.mcp-partial partial.saved
rm dst .dst.mcp-partial partial.saved

# A journal of another version: start over the same way.
interrupt KILL dst
printf '\002' | dd of=.dst.mcp-journal bs=1 seek=8 conv=notrunc status=none
expect_exit 0 "$MCP" --resume -v src dst
expect_same src dst
grep -q "'dst': journal of another version of mcp" "$ERR" ||
	{ cat "$ERR" >&2; fail "-v did not say the journal is of another version"; }
rm dst .dst.mcp-partial
no_leftovers . src
