#!/bin/sh
# --json prints exactly one JSON object on stdout at the end, nothing on
# stderr: a flat object for one SOURCE, an object with a "files" array
# and totals for several, each led by the schema's "version".  Checked
# with Python's json module, every key and its type, and with
# python3 -m json.tool (and jq where there is one).
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
KEYS = ["source", "dest", "bytes", "seconds", "bytes_per_second", "jobs",
        "workers", "chunk_size", "synced", "verified", "cloned",
        "sparse_holes_skipped", "resumed_bytes", "skipped", "error"]
TOTAL = ["version", "dest", "files", "bytes", "seconds", "bytes_per_second",
         "jobs", "workers", "synced", "verified", "sparse_holes_skipped",
         "resumed_bytes", "error"]
# Each key, the types it may have (int is not bool here).
TYPES = {"version": (int,), "source": (str,), "dest": (str, type(None)),
         "files": (list,), "bytes": (int,), "seconds": (float,),
         "bytes_per_second": (int,), "jobs": (int,), "workers": (int,),
         "chunk_size": (int, type(None)), "synced": (bool,),
         "verified": (bool,), "cloned": (bool,),
         "sparse_holes_skipped": (int,), "resumed_bytes": (int,),
         "skipped": (bool,),
         "error": (str, type(None))}
def typed(r):
    for k, v in r.items():
        assert type(v) in TYPES[k], (k, v)
        assert not isinstance(v, int) or isinstance(v, bool) or v >= 0, (k, v)
    return True
assert o["version"] == 1 and list(o)[0] == "version", o
def rate_ok(r):
    return (r["bytes_per_second"] == 0 if r["seconds"] == 0 else
            abs(r["bytes_per_second"] - r["bytes"] / r["seconds"])
            <= r["bytes"] / r["seconds"] * 0.01 + 1e6)
assert typed(o) and all(typed(f) for f in o.get("files", [])), o
exec(sys.argv[2])
' "$OUT" "$1" >&2 || { show_output; fail "JSON check failed: $1"; }
	python3 -m json.tool "$OUT" >/dev/null ||
		{ show_output; fail "python3 -m json.tool rejects it"; }
	if command -v jq >/dev/null 2>&1; then
		jq -e .version "$OUT" >/dev/null ||
			{ show_output; fail "jq rejects it"; }
	fi
}

random_file a 3000000
expect_exit 0 "$MCP" --json -j 3 -c 1M a b
[ ! -s "$ERR" ] || { show_output; fail "stderr not empty"; }
expect_same a b
check_json '
assert list(o) == ["version"] + KEYS, list(o)
assert o["source"] == "a" and o["dest"] == "b", o
assert o["bytes"] == 3000000 and o["jobs"] == 3, o
assert o["workers"] == 3, o
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
assert o["workers"] == 0 and o["jobs"] >= 1, o
'

# -j 1: mcp copies in its own process, so no worker ran; one chunk of
# work, or a pipe copied through read/write, neither.
expect_exit 0 "$MCP" --json -j 1 -c 1M a j1
check_json 'assert o["jobs"] == 1 and o["workers"] == 0 and o["bytes"] == 3000000, o'
expect_exit 0 "$MCP" --json -j 4 -c 4M a j4
check_json 'assert o["jobs"] == 4 and o["workers"] == 0 and o["chunk_size"] >= 3000000, o'
# shellcheck disable=SC2016 # expanded by the inner shell
expect_exit 0 sh -c 'cat a | "$1" --json -j 4 - p' sh "$MCP"
check_json 'assert o["workers"] == 0 and o["chunk_size"] is None and o["bytes"] == 3000000, o'
rm -f j1 j4 p

# -n leaves an existing DEST: skipped, not an error.
expect_exit 0 "$MCP" --json -n a b
check_json 'assert o["skipped"] is True and o["bytes"] == 0 and o["error"] is None, o'

# Several sources: "files" in order, totals beside them.
mkdir d
expect_exit 0 "$MCP" --json -j 2 a empty d
expect_same a d/a
check_json '
assert list(o) == TOTAL, list(o)
assert o["dest"] == "d" and o["error"] is None and o["synced"] is True, o
assert [f["source"] for f in o["files"]] == ["a", "empty"], o
assert [f["dest"] for f in o["files"]] == ["d/a", "d/empty"], o
assert all(list(f) == KEYS for f in o["files"]), o
assert [f["workers"] for f in o["files"]] == [2, 0] and o["workers"] == 2, o
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
