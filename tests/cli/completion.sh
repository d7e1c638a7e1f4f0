#!/bin/sh
# The shell completions know every option --help lists, and no other;
# with bash-completion installed, bash completes options, the values of
# --sparse, --cache, --sync-method and --reflink=, and file names.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

BASH_COMP=$MCP_SRCDIR/completions/mcp
ZSH_COMP=$MCP_SRCDIR/completions/_mcp

expect_exit 0 "$MCP" --help
grep -oE -e '--[a-z][a-z-]*' "$OUT" | sort -u >"$TMP/x/help"
for f in "$BASH_COMP" "$ZSH_COMP"; do
	grep -oE -e '--[a-z][a-z-]*' "$f" | sort -u >"$TMP/x/comp"
	diff -u "$TMP/x/help" "$TMP/x/comp" >&2 ||
		fail "$f: long options unlike --help's (above)"
done
# The short ones, but -? (a glob pattern, not worth offering), from the
# line of bash's list that has them.
grep -oE -e '^ +-[a-zA-Z](,| )' "$OUT" | tr -d ' ,' | sort -u >"$TMP/x/help"
grep -E -e "^[[:space:]]+(-[a-zA-Z] )+-[a-zA-Z]' --" "$BASH_COMP" |
	grep -oE -e '-[a-zA-Z]' | sort -u >"$TMP/x/comp"
diff -u "$TMP/x/help" "$TMP/x/comp" >&2 ||
	fail "short options unlike --help's (above)"

need_cmd bash
lib=/usr/share/bash-completion/bash_completion
[ -r "$lib" ] || skip "bash-completion is not installed"

# complete WORD...: what bash offers for the last word of "mcp WORD...",
# split as bash splits a line (--sparse=a is --sparse = a).
complete_() {
	# compopt works only inside a real completion: a no-op here.
	bash -c '. "$1" && . "$2" && shift 2 && compopt() { :; } &&
		COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) &&
		COMP_LINE="$*" && COMP_LINE=${COMP_LINE// = /=} &&
		COMP_POINT=${#COMP_LINE} &&
		_mcp mcp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" &&
		printf "%s\n" "${COMPREPLY[@]}" | sort' \
		sh "$lib" "$BASH_COMP" mcp "$@" >"$OUT" 2>"$ERR" ||
		{ show_output; fail "bash completion failed for: mcp $*"; }
}

# expect_offers WANT... -- WORD...
expect_offers() {
	: >"$TMP/x/want"
	while [ "$1" != -- ]; do
		printf '%s\n' "$1" >>"$TMP/x/want"
		shift
	done
	shift
	complete_ "$@"
	diff -u "$TMP/x/want" "$OUT" >&2 || fail "mcp $*<TAB>: offers differ"
}

expect_offers --sparse= --stats --sync-method= -- --s
expect_offers always auto -- --sparse = a
expect_offers auto drop keep -- --cache ''
expect_offers msync range -- --sync-method ''
: >file-one
: >file-two
expect_offers file-one file-two -- -j 2 file-
# --reflink's value only after its =; a bare --reflink is followed by files.
expect_offers always auto -- --reflink = a
expect_offers file-one file-two -- --reflink file-
# --preserve's attributes likewise.
expect_offers all mode ownership timestamps -- --preserve = ''
expect_offers file-one file-two -- --preserve file-
