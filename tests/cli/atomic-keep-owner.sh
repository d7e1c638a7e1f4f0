#!/bin/sh
# As root, --atomic without -p gives the new DEST the owner, group and
# mode (set-ID bits included) of the DEST it replaces, as overwriting in
# place would have kept them.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
random_file src 70000
chmod 600 src
random_file dst 100
chown 65534:65534 dst || skip "cannot chown to 65534:65534"
chmod 2751 dst
expect_exit 0 "$MCP" --atomic src dst
expect_silent
expect_same src dst
got=$(stat -c '%u:%g %a' dst)
[ "$got" = "65534:65534 2751" ] || fail "dst: $got, expected 65534:65534 2751"
no_leftovers . src dst
