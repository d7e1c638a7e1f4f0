#!/bin/sh
# --atomic on a full disk fails with "No space left on device" and leaves
# the old DEST byte for byte as it was, and no temporary file.  Needs
# root to mount a small tmpfs.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
mkdir mnt
mount -t tmpfs -o size=16m mcp-test "$WORK/mnt" 2>/dev/null ||
	skip "cannot mount a tmpfs"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"
random_file src 33554432
random_file mnt/dst 1000000
chmod 640 mnt/dst
cp mnt/dst saved
set_old_mtime mnt/dst
before=$(stat -c '%i %a %y' mnt/dst)

for j in 2 1; do
	expect_exit 1 "$MCP" --atomic -j "$j" src mnt/dst
	expect_no_stdout
	expect_stderr "mcp: mnt/dst: No space left on device"
	expect_same saved mnt/dst
	[ "$(stat -c '%i %a %y' mnt/dst)" = "$before" ] ||
		fail "-j $j: mnt/dst changed: $(stat -c '%i %a %y' mnt/dst)"
	no_leftovers mnt dst
done

# A new DEST, into the directory: nothing at all is left.
expect_exit 1 "$MCP" --atomic src mnt
expect_no_stdout
expect_stderr "mcp: mnt/src: No space left on device"
no_leftovers mnt dst
