#!/bin/sh
# A DEST file system that refuses to truncate (faultfs --no-truncate:
# setattr of the size fails with EPERM, as in a sandbox or on a FUSE
# server that refuses it): an existing DEST cannot be emptied, so the
# copy fails before it starts, with one line, and DEST stays exactly as
# it was.  mcp did not create it or empty it: it must not remove it.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fuse.sh
. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"

need_root
need_faultfs
mount_faultfs mnt --no-truncate
random_file src 1048576
random_file old 5000
# Created, not truncated: faultfs refuses only a change of size.
cat old >mnt/out/dst || hard_error "cannot write mnt/out/dst"
cat old >mnt/out/src || hard_error "cannot write mnt/out/src"
set_old_mtime mnt/out/dst mnt/out/src
before=$(stat -c '%s %a %y' mnt/out/dst)

# intact NAME WHAT: mnt/out/NAME still holds old, as it was.
intact() {
	expect_same old "mnt/out/$1"
	[ "$(stat -c '%s %a %y' "mnt/out/$1")" = "$before" ] ||
		fail "$2: mnt/out/$1 changed: $(stat -c '%s %a %y' "mnt/out/$1")"
}

for j in 1 4; do
	expect_exit 1 run_mcp -j "$j" src mnt/out/dst
	expect_no_stdout
	expect_stderr "mcp: mnt/out/dst: cannot truncate: Operation not permitted"
	intact dst "-j $j"
	no_leftovers mnt/out dst src
done

# Into the directory, and from a pipe (the read/write path).
expect_exit 1 run_mcp src mnt/out
expect_stderr "mcp: mnt/out/src: cannot truncate: Operation not permitted"
intact src "into mnt/out"
expect_pipe_exit 1 src run_mcp - mnt/out/dst
expect_stderr "mcp: mnt/out/dst: cannot truncate: Operation not permitted"
intact dst "from a pipe"
no_leftovers mnt/out dst src
