#!/bin/sh
# A full ext4 file system (a 32 MiB image mounted through a loop device)
# fails every copy of a SOURCE larger than its free space with "No space
# left on device", exit 1, and leaves nothing behind: -j 1, -j 8, into the
# directory, over an existing DEST (emptied, then removed), --atomic over
# an existing DEST (kept byte for byte, no temporary file), --sparse=always
# (nothing reserved: a worker meets the full disk), --no-sync and
# --verify.  Every failure gives the space back, and a SOURCE that fits
# copies byte-identical, so the file system itself works.  Needs root to
# mount the image.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fault.sh
. "$MCP_SRCDIR/tests/fault/lib-fault.sh"

need_root
need_cmd mkfs.ext4 losetup
IMG=$TMP/x/img
truncate -s 32M "$IMG" || hard_error "cannot make $IMG"
mkfs.ext4 -q -F "$IMG" >"$TMP/x/mkfs" 2>&1 ||
	skip "mkfs.ext4 cannot make a file system: $(cat "$TMP/x/mkfs")"
mkdir mnt
# Whatever happens, the loop devices of our image go last (losetup -j
# names only those), after the unmount (at_exit runs the newest first).
at_exit "losetup -n -O NAME -j '$IMG' | while read -r d; do losetup -d \"\$d\"; done"
mount -o loop "$IMG" "$WORK/mnt" 2>"$TMP/x/mount" ||
	skip "cannot mount an ext4 image on a loop device: $(cat "$TMP/x/mount")"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"
[ -n "$(losetup -n -O NAME -j "$IMG" 2>/dev/null)" ] ||
	skip "losetup -j finds no loop device backed by the mounted image"

room=$(($(free_blocks) * $(stat -f -c %S mnt)))
[ "$room" -gt 16777216 ] || hard_error "only $room bytes free on the image"

# SOURCE, well over the free space.
random_file src $((room + 16777216))

full_disk_setup 256 lost+found

# A new DEST, with one worker and with eight.
fails_full mnt/dst -j 1 src mnt/dst
fails_full mnt/dst -j 8 src mnt/dst

# Into the directory, with the default workers.
fails_full mnt/src src mnt

# An existing small DEST is emptied for the copy, so it goes too: never
# a file that looks like a finished copy.
for j in 1 8; do
	random_file mnt/small 10
	fails_full mnt/small -j "$j" src mnt/small
done

# --atomic: the old DEST stays byte for byte, and no temporary file.
for j in 1 8; do
	fails_full mnt/old --atomic -j "$j" src mnt/old
done
fails_full mnt/src --atomic src mnt

# --sparse=always reserves nothing: a worker (or, with -j 1, mcp
# itself) meets the full disk mid-copy, and says so.
for j in 1 2 8; do
	fails_full mnt/dst --sparse=always -j "$j" src mnt/dst
done
fails_full mnt/old --sparse=always --atomic -j 2 src mnt/old
random_file mnt/small 10
fails_full mnt/small --sparse=always -j 2 src mnt/small

# --no-sync and --verify change nothing about it.
fails_full mnt/dst --no-sync -j 2 src mnt/dst
fails_full mnt/dst --no-sync --sparse=always -j 2 src mnt/dst
fails_full mnt/dst --verify -j 2 src mnt/dst
fails_full mnt/dst --verify --sparse=always -j 2 src mnt/dst

# That --sparse=always got as far as the workers: zeros written as data
# over all the free space fail up front with auto, which reserves them,
# and copy with always, which leaves them unwritten.
dd if=/dev/zero of=zeros bs=1M count=$((room / 1048576 + 16)) status=none ||
	hard_error "cannot write zeros"
write_random_at zeros 7340032 1048576
fails_full mnt/dst -j 2 zeros mnt/dst
expect_exit 0 "$MCP" -j 2 --sparse=always zeros mnt/dst
expect_silent
expect_same zeros mnt/dst
rm mnt/dst
space_back "rm mnt/dst"

# The file system works: a SOURCE of 60% of the free space fits.
random_file fits $((room * 6 / 10 / 4096 * 4096 + 1234))
for j in 1 8; do
	expect_exit 0 "$MCP" -j "$j" fits mnt/fits
	expect_silent
	expect_same fits mnt/fits
	no_leftovers mnt lost+found old fits
	rm mnt/fits
done
