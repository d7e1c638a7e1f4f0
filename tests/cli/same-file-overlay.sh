#!/bin/sh
# The same file seen through overlayfs, which gives the merged view its
# own device number (and a copied-up file its lower file's inode number):
# merged/f and upper/f, which holds its data, are refused with "are the
# same file", exit 1, and nothing is touched; before, DEST was emptied,
# which emptied SOURCE, and the copy was zeros with exit 0, --verify or
# not.  A file not yet copied up is its lower file: refused both ways,
# and not copied up by the refusal.  Once copied up and changed, merged
# and lower are two files.  Needs root (a mount; the page frames that
# tell one file from another) and overlayfs.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
# The layers on a tmpfs of our own: TMPDIR may itself be an overlay,
# which cannot be an upper layer.
mkdir fs
mount -t tmpfs -o size=64m tmpfs "$WORK/fs" 2>/dev/null ||
	skip "cannot mount a tmpfs"
at_exit "umount '$WORK/fs' 2>/dev/null || :"
mkdir fs/lower fs/upper fs/work merged
random_file fs/lower/f 200000
random_file fs/lower/g 300000
mount -t overlay overlay -o "lowerdir=$WORK/fs/lower,upperdir=$WORK/fs/upper,workdir=$WORK/fs/work" \
	"$WORK/merged" 2>/dev/null || skip "cannot mount overlayfs"
at_exit "umount '$WORK/merged' 2>/dev/null || :"

# Copy f up, with other bytes than lower/f.
write_random_at merged/f 0 4096
[ -f fs/upper/f ] || hard_error "merged/f was not copied up"
cp merged/f saved_f
cp fs/lower/g saved_g
set_old_mtime fs/upper/f
before=$(file_mtime fs/upper/f)

# refused SRC DST [OPTION]...: "are the same file", exit 1.
refused() {
	rc=0
	"$MCP" "$3" "$1" "$2" >"$OUT" 2>"$ERR" || rc=$?
	if [ "$rc" != 1 ]; then
		show_output
		fail "mcp $3 $1 $2: $(describe_status "$rc"), expected 1"
	fi
	expect_no_stdout
	expect_stderr "mcp: '$1' and '$2' are the same file"
}

for opt in --verify -j1 -n --atomic; do
	refused merged/f fs/upper/f "$opt"
	refused fs/upper/f merged/f "$opt"
done
expect_same saved_f merged/f
expect_same saved_f fs/upper/f
[ "$(file_mtime fs/upper/f)" = "$before" ] || fail "upper/f was written"

# g is not copied up: merged/g is lower/g, either way, and stays so.
for opt in -j2 --atomic; do
	refused merged/g fs/lower/g "$opt"
	refused fs/lower/g merged/g "$opt"
done
expect_same saved_g fs/lower/g
expect_same saved_g merged/g
[ ! -e fs/upper/g ] || fail "the refusal copied merged/g up"

# Into a directory: upper/f from merged/f.
expect_exit 1 "$MCP" merged/f fs/upper
expect_stderr "mcp: 'merged/f' and 'fs/upper/f' are the same file"
expect_same saved_f fs/upper/f
no_leftovers fs/upper f

# Copied up and changed, merged/f is not lower/f: that copy is made.
expect_exit 0 "$MCP" --verify fs/lower/f merged/f
expect_silent
expect_same fs/lower/f merged/f
