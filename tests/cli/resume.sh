#!/bin/sh
# --resume with no interrupted copy to continue is a plain copy: silent,
# byte-identical, through a partial file renamed over DEST, nothing left
# beside it; an existing DEST keeps its mode as with --atomic.  Files
# that only share the partial file's or the journal's name are never
# taken for ours, changed or removed; without --resume a leftover
# partial file is not touched.  A SOURCE that cannot be read again (a
# pipe, standard input, a FIFO), a block device (whose changes cannot be
# seen) and --no-sync are usage errors.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 3000000
random_file z 1

# A new DEST: as a plain copy would make it, mode included.
expect_exit 0 "$MCP" -j 3 -c 256K a plain
expect_exit 0 "$MCP" --resume -j 3 -c 256K a b
expect_silent
expect_same a b
[ "$(file_mode b)" = "$(file_mode plain)" ] ||
	fail "b has mode $(file_mode b), a plain copy $(file_mode plain)"
no_leftovers . a z plain b

# An existing DEST is replaced and keeps its mode; -j 1 forks nothing.
random_file c 1000
chmod 640 c
expect_exit 0 "$MCP" --resume -j 1 a c
expect_silent
expect_same a c
[ "$(file_mode c)" = 640 ] || fail "c: mode $(file_mode c), expected 640"

# An empty SOURCE, and several SOURCEs into a directory, file by file.
: >empty
expect_exit 0 "$MCP" --resume empty e
expect_same empty e
mkdir d
expect_exit 0 "$MCP" --resume a z empty d
expect_silent
expect_same a d/a
expect_same z d/z
expect_same empty d/empty
no_leftovers d a z empty

# With -p, --verify, --sparse=always, --json: all of them hold.
expect_exit 0 "$MCP" --resume -p --verify --sparse=always --json a f
expect_same a f
grep -q '"verified":true' "$OUT" || fail "not verified: $(cat "$OUT")"
grep -q '"resumed_bytes":0,' "$OUT" || fail "resumed: $(cat "$OUT")"
grep -q '"bytes":3000000,' "$OUT" || fail "bytes: $(cat "$OUT")"
rm -f plain b c e f empty
no_leftovers . a z d

# A file that only has the partial file's name is not ours: left as it
# was, and the copy goes into a partial file of another name.  -v says so.
random_file .g.mcp-partial 3000000
cp .g.mcp-partial saved
expect_exit 0 "$MCP" -v --resume a g
expect_same a g
expect_same saved .g.mcp-partial
grep -F -q "mcp: 'g': '.g.mcp-partial' exists and is not known to be mcp's; leaving it alone" "$ERR" ||
	{ show_output; fail "-v did not say why .g.mcp-partial was left alone"; }
no_leftovers . a z d g .g.mcp-partial saved
rm g .g.mcp-partial

# A file that only has the journal's name: refused, nothing touched.
echo "my notes" >.h.mcp-journal
cp .h.mcp-journal saved
expect_exit 1 "$MCP" --resume a h
expect_no_stdout
expect_stderr "mcp: h: '.h.mcp-journal' is not a journal of mcp; not touching it"
expect_same saved .h.mcp-journal
no_leftovers . a z d .h.mcp-journal saved
rm .h.mcp-journal

# Without --resume, a leftover partial file and journal are not touched.
random_file .i.mcp-partial 3000
random_file .i.mcp-journal 300
cp .i.mcp-partial saved
cp .i.mcp-journal saved2
expect_exit 0 "$MCP" a i
expect_same a i
expect_same saved .i.mcp-partial
expect_same saved2 .i.mcp-journal
rm -f i .i.mcp-partial .i.mcp-journal saved saved2

# What cannot be resumed: usage errors, before anything is written.
expect_pipe_exit 2 a "$MCP" --resume - p
expect_stderr "mcp: --resume: '-' is standard input, which cannot be read again" \
	"Try 'mcp --help' for more information."
mkfifo fifo
expect_exit 2 "$MCP" --resume fifo p
expect_stderr "mcp: --resume: 'fifo' is a pipe or a device, which cannot be read again" \
	"Try 'mcp --help' for more information."
if [ -b /dev/loop0 ]; then
	expect_exit 2 "$MCP" --resume /dev/loop0 p
	expect_stderr "mcp: --resume: '/dev/loop0' is a block device, whose changes between two runs cannot be seen" \
		"Try 'mcp --help' for more information."
fi
expect_exit 2 "$MCP" --resume --no-sync a p
expect_stderr "mcp: --resume needs durable chunks; it cannot be combined with --no-sync" \
	"Try 'mcp --help' for more information."
expect_exit 1 "$MCP" --resume a /dev/null
expect_stderr "mcp: /dev/null: not a regular file; refusing to replace it"
no_leftovers . a z d fifo
