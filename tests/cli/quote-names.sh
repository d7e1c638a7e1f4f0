#!/bin/sh
# A file name with a newline or another control character in it keeps a
# diagnostic on one line: the name is shell-quoted, as coreutils quotes
# it ('a'$'\n''b'); plain names read as before.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

nl='
'
tab=$(printf '\t')
esc=$(printf '\033')

expect_exit 1 "$MCP" "a${nl}b" dst
expect_stderr "mcp: 'a'\$'\\n''b': cannot open: No such file or directory"

expect_exit 1 "$MCP" "x${esc}[2J" dst
expect_stderr "mcp: 'x'\$'\\033''[2J': cannot open: No such file or directory"

random_file src 1000
expect_exit 1 "$MCP" src src "d${nl}x"
expect_stderr "mcp: target 'd'\$'\\n''x' is not a directory"

expect_exit 1 "$MCP" src "src${tab}"  "missing${nl}dir/"
expect_stderr "mcp: target 'missing'\$'\\n''dir/' is not a directory"

# Plain names as before.
expect_exit 1 "$MCP" nothing dst
expect_stderr "mcp: nothing: cannot open: No such file or directory"

# The name line of -P and the --stats lines, with several sources.
cp src "t${tab}1"
mkdir d
expect_exit 0 "$MCP" -P --stats src "t${tab}1" d
expect_same src "d/t${tab}1"
grep -q -F -x "'t'\$'\\t''1' -> 'd/t'\$'\\t''1'" "$ERR" ||
	{ show_output; fail "no quoted name line"; }
grep -q -F "'t'\$'\\t''1' -> 'd/t'\$'\\t''1': 1000 bytes" "$ERR" ||
	{ show_output; fail "no quoted --stats line"; }
