#!/bin/sh
# --json prints exactly one JSON object on stdout at the end, nothing on
# stderr: a flat object for one SOURCE, an object with a "files" array
# and totals for several.  Checked with Python's json module.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd python3

# check_json PYTHON: stdout is one JSON object `o`, and the Python
# assertions hold for it.
check_json() {
	python3 -c '
import json, sys
text = open(sys.argv[1]).read()
o = json.loads(text)
assert text.count("\n") == 1 and text.endswith("}\n"), "not one line"
assert isinstance(o, dict), "not an object"
KEYS = {"source", "dest", "bytes", "seconds", "bytes_per_second", "jobs",
        "chunk_size", "synced", "verified", "cloned",
        "sparse_holes_skipped", "resumed_bytes", "skipped", "error"}
TOTAL = {"dest", "files", "bytes", "seconds", "bytes_per_second", "jobs",
         "synced", "verified", "sparse_holes_skipped", "resumed_bytes",
         "error"}
def rate_ok(r):
    return (r["bytes_per_second"] == 0 if r["seconds"] == 0 else
            abs(r["bytes_per_second"] - r["bytes"] / r["seconds"])
            <= r["bytes"] / r["seconds"] * 0.01 + 1e6)
exec(sys.argv[2])
' "$OUT" "$1" >&2 || { show_output; fail "JSON check failed: $1"; }
}

random_file a 3000000
expect_exit 0 "$MCP" --json -j 3 -c 1M a b
[ ! -s "$ERR" ] || { show_output; fail "stderr not empty"; }
expect_same a b
check_json '
assert set(o) == KEYS, sorted(o)
assert o["source"] == "a" and o["dest"] == "b", o
assert o["bytes"] == 3000000 and o["jobs"] == 3, o
assert o["chunk_size"] == 1048576, o
assert o["synced"] is True and o["verified"] is False, o
assert o["sparse_holes_skipped"] == 0 and o["skipped"] is False, o
assert o["resumed_bytes"] == 0 and o["error"] is None, o
assert isinstance(o["seconds"], float) and o["seconds"] > 0, o
assert isinstance(o["bytes_per_second"], int) and rate_ok(o), o
'

# --no-sync: not synced.  An empty file: 0 bytes, a rate of 0 or more,
# never nan.
: >empty
expect_exit 0 "$MCP" --json --no-sync empty e
check_json '
assert o["bytes"] == 0 and o["bytes_per_second"] == 0, o
assert o["synced"] is False and o["error"] is None, o
'

# -n leaves an existing DEST: skipped, not an error.
expect_exit 0 "$MCP" --json -n a b
check_json 'assert o["skipped"] is True and o["bytes"] == 0 and o["error"] is None, o'

# Several sources: "files" in order, totals beside them.
mkdir d
expect_exit 0 "$MCP" --json -j 2 a empty d
expect_same a d/a
check_json '
assert set(o) == TOTAL, sorted(o)
assert o["dest"] == "d" and o["error"] is None and o["synced"] is True, o
assert [f["source"] for f in o["files"]] == ["a", "empty"], o
assert [f["dest"] for f in o["files"]] == ["d/a", "d/empty"], o
assert all(set(f) == KEYS for f in o["files"]), o
assert [f["bytes"] for f in o["files"]] == [3000000, 0], o
assert o["bytes"] == 3000000 and o["jobs"] == 2 and rate_ok(o), o
'

# Names that are not plain ASCII stay valid JSON: quotes, a newline,
# UTF-8 kept, an invalid byte replaced by U+FFFD.
name=$(printf 'q"b\\\nc\303\251\377')
cp a "$name"
expect_exit 0 "$MCP" --json "$name" d
check_json '
assert o["source"] == "q\"b\\\nc\u00e9\ufffd", repr(o["source"])
assert o["dest"] == "d/" + o["source"], o
'
expect_same a "d/$name"
