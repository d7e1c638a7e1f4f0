#!/bin/sh
# A block device DEST that is mounted is refused ("Device or resource
# busy", exit 1) and not written: an image copied over a live file system
# would wreck it.  Once unmounted, the same copy goes through.  Needs
# root, a loop device, mkfs.ext2 and mount.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd losetup mkfs.ext2
sparse_file img 8388608
mkfs.ext2 -q -F img >/dev/null 2>&1 || skip "mkfs.ext2 failed"
dev=$(losetup --find --show img 2>/dev/null) || skip "losetup failed"
at_exit "losetup -d '$dev'"
mkdir mnt
mount "$dev" "$WORK/mnt" 2>/dev/null || skip "cannot mount $dev"
at_exit "umount '$WORK/mnt' 2>/dev/null || :"
cp "$dev" before
random_file src 4096

expect_exit 1 "$MCP" src "$dev"
expect_no_stdout
expect_stderr "mcp: $dev: cannot open: Device or resource busy"
umount "$WORK/mnt"
# Mounting rewrites the superblock at byte 1024; the boot block before it
# is ext2's to leave alone, and ours would have been random.
cmp -s -n 1024 "$dev" before || fail "$dev was written while mounted"

expect_exit 0 "$MCP" src "$dev"
expect_silent
head -c 4096 "$dev" >written
expect_same src written
