#!/bin/sh
# Two SOURCEs of the same name into one DIRECTORY (a/x b/x d): the second
# is refused as cp refuses it, "will not overwrite just-created", exit 1,
# and the first copy stays, whether the second would have replaced it or,
# failing, removed it.  The other SOURCEs are still copied.  The DEST is
# recognised by device and inode, however its name is spelled; with -n
# the second is skipped like any existing DEST, as cp -n does.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir a b d
random_file a/x 70000
random_file b/x 30000
random_file c 1000
expect_exit 1 "$MCP" -j 2 a/x b/x c d
expect_no_stdout
expect_stderr "mcp: will not overwrite just-created 'd/x' with 'b/x'"
expect_same a/x d/x
expect_same c d/c
no_leftovers d x c

# Over an existing d/x, and the second name spelled otherwise: the same.
expect_exit 1 "$MCP" ./a//x "$WORK/b/x" d/
expect_no_stdout
expect_stderr "mcp: will not overwrite just-created 'd/x' with '$WORK/b/x'"
expect_same a/x d/x

# Through a symbolic link in the directory: d/y is d/x.
ln -s x d/y
random_file b/y 5000
expect_exit 1 "$MCP" a/x b/y d
expect_stderr "mcp: will not overwrite just-created 'd/y' with 'b/y'"
expect_same a/x d/x
no_leftovers d x c y

# -n: the second is skipped, the first kept.
rm d/x d/y
expect_exit 0 "$MCP" -n a/x b/x d
expect_silent
expect_same a/x d/x

# A second SOURCE that would fail once DEST is emptied (a read error)
# must not take the first copy with it.
if dd if=/proc/self/mem of=/dev/null bs=1 count=1 2>/dev/null; then
	exit 0
fi
rm -r d
mkdir d
random_file a/mem 40000
expect_exit 1 "$MCP" a/mem /proc/self/mem d
expect_stderr "mcp: will not overwrite just-created 'd/mem' with '/proc/self/mem'"
expect_same a/mem d/mem
no_leftovers d mem
