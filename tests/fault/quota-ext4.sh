#!/bin/sh
# A real disk quota: user nobody, with a hard limit of 4 MiB on an ext4
# image (mkfs.ext4 -O quota, mounted with usrquota on a loop device),
# copies an 8 MiB SOURCE.  Every way the copy meets the quota says
# "Disk quota exceeded", exit 1, and leaves no DEST: the reservation
# (fallocate) up front; with --sparse=always, which reserves nothing, a
# worker's write into the mapping, a SIGBUS that carries no errno and
# used to read "Input/output error" (the disk itself has room); and the
# write of the read/write path.  Skips where the kernel has no quotas
# (CONFIG_QUOTA) or setquota (Debian: quota) is missing.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd mkfs.ext4 losetup setquota setpriv
id nobody >/dev/null 2>&1 || skip "there is no user nobody"
IMG=$TMP/x/img
truncate -s 64M "$IMG" || hard_error "cannot make $IMG"
mkfs.ext4 -q -F -O quota -E quotatype=usrquota "$IMG" >"$TMP/x/mkfs" 2>&1 ||
	skip "mkfs.ext4 cannot make a file system with quotas: $(cat "$TMP/x/mkfs")"
mkdir mnt
at_exit "losetup -n -O NAME -j '$IMG' | while read -r d; do losetup -d \"\$d\"; done"
mount -o loop,usrquota "$IMG" "$WORK/mnt" 2>"$TMP/x/mount" ||
	skip "cannot mount an ext4 image with quotas (a kernel without CONFIG_QUOTA?): $(head -n 1 "$TMP/x/mount")"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"

# nobody must reach SOURCE and mcp, and own a directory on the image.
chmod 755 "$TMP" "$WORK"
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MCP" ||
	skip "nobody cannot run $MCP"
mkdir mnt/u
chown nobody mnt/u
setquota -u nobody 0 4096 0 0 "$WORK/mnt" 2>"$TMP/x/setquota" ||
	skip "setquota failed: $(cat "$TMP/x/setquota")"

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# The quota must bind: 8 MiB written by nobody fail.
if as_nobody dd if=/dev/zero of=mnt/u/probe bs=1M count=8 status=none \
	2>/dev/null; then
	skip "the quota does not bind here"
fi
rm -f mnt/u/probe

random_file src 8388608
random_file small 1048576
chmod 644 src small

# The control: under the quota, a copy works.
expect_exit 0 as_nobody "$MCP" -j 2 --sparse=always small mnt/u/dst
expect_silent
expect_same small mnt/u/dst
rm mnt/u/dst

# quota_fails MCP_ARG...: nobody's copy of src to mnt/u/dst fails with
# exactly that line and leaves nothing.
quota_fails() {
	expect_exit 1 as_nobody "$MCP" "$@" src mnt/u/dst
	expect_no_stdout
	expect_stderr "mcp: mnt/u/dst: Disk quota exceeded"
	no_leftovers mnt/u
}

for j in 1 4; do
	quota_fails -j "$j"
	quota_fails -j "$j" --sparse=always
	quota_fails -j "$j" --sparse=always --no-sync
done
expect_pipe_exit 1 src as_nobody "$MCP" - mnt/u/dst
expect_no_stdout
expect_stderr "mcp: mnt/u/dst: Disk quota exceeded"
no_leftovers mnt/u
