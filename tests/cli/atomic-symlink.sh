#!/bin/sh
# --atomic through a symbolic link replaces the file it points to: the
# link stays a link, and the temporary file goes beside the target.  A
# dangling link is refused, as without --atomic.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir real
random_file src 100000
random_file real/target 10
ln -s real/target link
expect_exit 0 "$MCP" --atomic src link
expect_silent
[ -L link ] || fail "link is no longer a symbolic link"
[ "$(readlink link)" = real/target ] || fail "link points elsewhere"
expect_same src real/target
no_leftovers real target
no_leftovers . src link real

ln -s nowhere dangling
expect_exit 1 "$MCP" --atomic src dangling
expect_no_stdout
expect_stderr "mcp: dangling: not writing through dangling symlink"
[ -L dangling ] || fail "the dangling link was replaced"
no_leftovers . src link real dangling
