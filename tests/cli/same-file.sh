#!/bin/sh
# SOURCE and DEST are the same file, however it is spelled: refused with
# "are the same file", exit 1, and the file is not touched.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir dir
random_file dir/a 20000
cp dir/a saved
ln dir/a dir/hard
ln -s a dir/sym
set_old_mtime dir/a
before=$(file_mtime dir/a)

# refused ARG...: mcp ARG... (run inside dir) refuses and changes nothing.
refused() {
	rc=0
	(cd dir && exec "$MCP" "$@") >"$OUT" 2>"$ERR" </dev/null || rc=$?
	if [ "$rc" != 1 ]; then
		show_output
		fail "mcp $*: $(describe_status "$rc"), expected 1"
	fi
	expect_no_stdout
	expect_stderr_has "are the same file"
	expect_same saved dir/a
	[ "$(file_mtime dir/a)" = "$before" ] || fail "mcp $*: a's mtime changed"
	no_leftovers dir a hard sym
}

refused a a
refused a ./a
refused ./a a
refused a ../dir/a
refused a "$WORK/dir/a"
refused a hard
refused hard a
refused a sym
refused sym a
refused sym sym
refused a .
refused a ./
refused a "$WORK/dir"
refused -j 2 a ..//dir/
refused -n a a
refused "$WORK/dir/a" "$WORK/dir"
