#!/bin/sh
# A file system that refuses shared mappings (faultfs --direct-io: FUSE
# in direct I/O mode, whose mmap(MAP_SHARED) fails with ENODEV, as 9p
# with cache=none does) is copied from and to through read/write, as cp
# would: SOURCE there, DEST there (new and existing, into a directory,
# --atomic), or both; exit 0, silent, byte for byte.  -v names the file
# that cannot be mapped.  A copy that fails for another reason still
# fails as any copy does: exit 1, one line, no DEST it emptied, the old
# DEST intact with --atomic.  Once mcp emptied an existing DEST there,
# failed with "mmap: No such device" and removed it.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mnt --direct-io --size=8M --eio-at=5M
pattern_file pattern 8388608
random_file src 3000000
random_file old 100000

# copies SRC DST MCP_ARG...: mcp MCP_ARG... SRC DST succeeds silently
# and DST holds SRC's bytes.
copies() {
	lib_s=$1
	lib_d=$2
	shift 2
	expect_exit 0 run_mcp "$@" "$lib_s" "$lib_d"
	expect_silent
	expect_same "$lib_s" "$lib_d"
}

for j in 1 4; do
	# DEST there: new, then existing (and bigger than SOURCE).
	rm -f mnt/out/dst
	copies src mnt/out/dst -j "$j"
	cp pattern mnt/out/dst
	copies src mnt/out/dst -j "$j"
	# SOURCE there, DEST here: new and existing.
	rm -f dst
	copies mnt/good dst -j "$j"
	cp old dst
	copies mnt/good dst -j "$j"
	# Both there.
	rm -f mnt/out/dst
	copies mnt/good mnt/out/dst -j "$j"
	cp old mnt/out/dst
	copies mnt/good mnt/out/dst -j "$j"
done
expect_same pattern dst
no_leftovers mnt/out dst

# Into a directory there, with --atomic over an existing DEST, and from
# standard input (a regular file at offset 0, mapped elsewhere).
expect_exit 0 run_mcp src mnt/out
expect_silent
expect_same src mnt/out/src
cp old mnt/out/dst
copies src mnt/out/dst --atomic -j 4
expect_exit 0 run_mcp - mnt/out/stdin <src
expect_silent
expect_same src mnt/out/stdin
no_leftovers mnt/out dst src stdin
rm mnt/out/src mnt/out/stdin

# -v says which file could not be mapped, and why.
rw="(No such device); copying"
expect_exit 0 run_mcp -v src mnt/out/dst
expect_no_stdout
expect_stderr "mcp: 'src' -> 'mnt/out/dst': cannot map DEST $rw 3000000 bytes through read/write"
expect_exit 0 run_mcp -v mnt/good dst
expect_stderr "mcp: 'mnt/good' -> 'dst': cannot map SOURCE $rw 8388608 bytes through read/write"
expect_exit 0 run_mcp -v mnt/good mnt/out/dst
expect_stderr "mcp: 'mnt/good' -> 'mnt/out/dst': cannot map SOURCE and DEST $rw 8388608 bytes through read/write"
expect_same pattern mnt/out/dst

# A read error on the read/write path fails the copy as on mappings: an
# existing DEST emptied for the copy goes; with --atomic it stays, byte
# for byte, and no temporary file is left.
cp old dst
expect_exit 1 run_mcp mnt/eio dst
expect_no_stdout
expect_stderr "mcp: mnt/eio: read: Input/output error"
no_leftovers . mnt pattern src old
cp old dst
expect_exit 1 run_mcp --atomic mnt/eio dst
expect_no_stdout
expect_stderr "mcp: mnt/eio: read: Input/output error"
expect_same old dst
no_leftovers . mnt pattern src old dst
cp old mnt/out/dst
expect_exit 1 run_mcp --atomic mnt/eio mnt/out/dst
expect_no_stdout
expect_stderr "mcp: mnt/eio: read: Input/output error"
expect_same old mnt/out/dst
no_leftovers mnt/out dst
