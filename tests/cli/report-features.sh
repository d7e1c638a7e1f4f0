#!/bin/sh
# What --json and --stats say about the other features: the bytes of a
# copy through read/write (a pipe, whose size is known only at the end),
# "verified" after --verify, and the holes --sparse left unwritten.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd python3

# json_is KEY VALUE: the JSON object on stdout has KEY equal to VALUE
# (a Python literal).
json_is() {
	python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
want = eval(sys.argv[3])
assert o[sys.argv[2]] == want, (sys.argv[2], o[sys.argv[2]], want)
' "$OUT" "$1" "$2" >&2 || { show_output; fail "JSON: $1 is not $2"; }
}

random_file a 3000000

# A pipe: the size comes from what was written.  (cat, not a redirect:
# a regular file on stdin would take the mapped path.)
# shellcheck disable=SC2002
cat a | expect_exit 0 "$MCP" --json - b
expect_same a b
json_is bytes 3000000
# shellcheck disable=SC2002
cat a | expect_exit 0 "$MCP" --stats - c
expect_same a c
grep -q '^3000000 bytes (3.0 MB, 2.9 MiB) copied, ' "$ERR" ||
	{ show_output; fail "--stats of a pipe does not count its bytes"; }

# --verify is reported as done; without it, not.
expect_exit 0 "$MCP" --json --verify a d
json_is verified True
expect_exit 0 "$MCP" --json a e
json_is verified False

# Holes left unwritten are counted.
need_holes
truncate -s 64M sparse
write_random_at sparse 0 4096
expect_exit 0 "$MCP" --json sparse f
expect_same sparse f
python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["sparse_holes_skipped"] >= 60 * 2**20, o
' "$OUT" >&2 || { show_output; fail "holes not counted in JSON"; }
exit 0
