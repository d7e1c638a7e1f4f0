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

# -v: each line stays one line, the names quoted as in the diagnostics.
cp src "v${nl}1"
expect_exit 0 "$MCP" -v -j 1 --verify "v${nl}1" "w${nl}1"
expect_no_stdout
expect_same src "w${nl}1"
# Two lines; the chunk size is the page size's.
[ "$(wc -l <"$ERR")" -eq 2 ] || { show_output; fail "-v: not two lines"; }
grep -q -F -x -e "mcp: 'w'\$'\\n''1': verified: 1000 bytes identical to 'v'\$'\\n''1'" \
	"$ERR" || { show_output; fail "-v: no quoted verified line"; }
grep -q -F -e "mcp: 'v'\$'\\n''1' -> 'w'\$'\\n''1': 1000 bytes, 1 worker, " \
	"$ERR" || { show_output; fail "-v: no quoted copy line"; }
expect_exit 0 "$MCP" -v -n "v${nl}1" "w${nl}1"
expect_stderr "mcp: 'w'\$'\\n''1' exists; not overwritten"
# shellcheck disable=SC2016 # expanded by the inner shell
expect_exit 0 sh -c 'cat "$3" | "$1" -v - "$2"' sh "$MCP" "s${nl}1" src
expect_stderr "mcp: '-' -> 's'\$'\\n''1': read/write to end of file"

# --resume's lines too: a foreign journal under a name with a newline.
echo "my notes" >".r${nl}1.mcp-journal"
expect_exit 1 "$MCP" --resume -v src "r${nl}1"
expect_stderr "mcp: 'r'\$'\\n''1': '.r'\$'\\n''1.mcp-journal' is not a journal of mcp; not touching it"
