#!/bin/sh
# A block device SOURCE is copied through mappings, its size read from
# the device: DEST is byte for byte the device.  Needs root and a loop
# device over a small image file.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd losetup
# 3 MiB and a sector: the device size is whole sectors, not pages.
random_file img 3146240
dev=$(losetup --find --show img 2>/dev/null) || skip "losetup failed"
at_exit "losetup -d '$dev'"
[ -b "$dev" ] || skip "$dev is not a block device"

expect_exit 0 "$MCP" -j 2 -c 1M "$dev" dst
expect_silent
expect_same img dst

rm dst
expect_exit 0 "$MCP" -v -j 1 "$dev" dst
expect_no_stdout
expect_stderr_has "3146240 bytes, 1 worker"
expect_same img dst
