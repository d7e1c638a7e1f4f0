# shellcheck shell=sh
# lib-fuse-write.sh - the body of fuse-write-eio.sh and
# fuse-write-enospc.sh, which differ only in the error faultfs gives:
# they set WFAIL (eio or enospc) and E (its text), then source this.
# faultfs's /out/ fails every write that reaches 4 MiB; an 8 MiB SOURCE
# copied there must fail with one line naming DEST and E, exit 1, and
# leave no DEST: new or existing, -j 1 or -j 4, into the directory, and
# with --no-sync.  With --atomic the old DEST stays byte for byte, and
# no temporary file is left.  A SOURCE that ends before 4 MiB copies
# fine: the control.

need_root
need_faultfs
mount_faultfs mnt --wfail-at=4M --wfail-errno="$WFAIL"
random_file src 8388608
random_file small 1048576
random_file old 100000

# The control, new DEST and --atomic over it, read back from faultfs.
expect_exit 0 run_mcp -j 4 small mnt/out/dst
expect_silent
expect_same small mnt/out/dst
expect_exit 0 run_mcp -j 4 --atomic small mnt/out/dst
expect_silent
expect_same small mnt/out/dst
no_leftovers mnt/out dst
rm mnt/out/dst

for j in 1 4; do
	expect_exit 1 run_mcp -j "$j" src mnt/out/dst
	expect_no_stdout
	expect_writeback_error mnt/out/dst "$E"
	no_leftovers mnt/out
done

expect_exit 1 run_mcp -j 4 src mnt/out
expect_no_stdout
expect_writeback_error mnt/out/src "$E"
no_leftovers mnt/out

# An existing DEST was emptied for the copy: it goes too.
cp old mnt/out/dst
expect_exit 1 run_mcp -j 4 src mnt/out/dst
expect_no_stdout
expect_writeback_error mnt/out/dst "$E"
no_leftovers mnt/out

# --atomic: the old DEST is untouched, contents, mode and times.
cp old mnt/out/dst
chmod 640 mnt/out/dst
set_old_mtime mnt/out/dst
before=$(stat -c '%a %s %y' mnt/out/dst)
for j in 1 4; do
	expect_exit 1 run_mcp --atomic -j "$j" src mnt/out/dst
	expect_no_stdout
	expect_writeback_error mnt/out/dst "$E"
	expect_same old mnt/out/dst
	[ "$(stat -c '%a %s %y' mnt/out/dst)" = "$before" ] ||
		fail "--atomic -j $j: mnt/out/dst changed:" \
			"$(stat -c '%a %s %y' mnt/out/dst)"
	no_leftovers mnt/out dst
done

# --no-sync: no write-back is waited for during the copy, but FUSE has
# written the pages at munmap and recorded the failure.  With workers,
# each worker's exit closes its inherited copy of DEST's descriptor, and
# on FUSE (as on NFS) that close collects the error flag and clears it,
# so the parent's close() returns 0: mcp asks the file's error record
# instead, before it closes.  Once this exited 0 over a corrupt DEST.
for j in 1 4; do
	rm -f mnt/out/dst
	expect_exit 1 run_mcp --no-sync -j "$j" src mnt/out/dst
	expect_no_stdout
	expect_stderr "mcp: mnt/out/dst: write-back: $E"
	no_leftovers mnt/out
	cp old mnt/out/dst
	expect_exit 1 run_mcp --atomic --no-sync -j "$j" src mnt/out/dst
	expect_no_stdout
	expect_stderr "mcp: mnt/out/dst: write-back: $E"
	expect_same old mnt/out/dst
	no_leftovers mnt/out dst
done
no_leftovers mnt/out dst
