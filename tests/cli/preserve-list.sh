#!/bin/sh
# --preserve=ATTR_LIST keeps the attributes it names and only those; the
# others are as without it: a new DEST's mode is SOURCE's less the umask,
# an existing DEST keeps its own owner and mode, and the times are the
# copy's.  Set-ID bits come with mode only when DEST has SOURCE's owner
# and group.  An unknown attribute is a usage error.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
umask 077
random_file src 200000
chown 65534:65534 src || skip "cannot chown to 65534:65534"
chmod 4755 src
set_old_mtime src
src_mtime=$(stat -c %Y src)
me="$(id -u):$(id -g)"

# check LIST ARGS DEST WANT_OWNER WANT_MODE TIMES(yes|no)
check() {
	# shellcheck disable=SC2086 # $2 is a list of words
	expect_exit 0 "$MCP" --preserve="$1" $2 src "$3"
	expect_silent
	expect_same src "$3"
	got=$(stat -c '%u:%g %a' "$3")
	[ "$got" = "$4 $5" ] ||
		fail "--preserve=$1 $2, $3: owner and mode $got, not $4 $5"
	mtime=$(stat -c %Y "$3")
	case $6 in
	yes) [ "$mtime" = "$src_mtime" ] ||
		fail "--preserve=$1 $2, $3: mtime $mtime, not $src_mtime" ;;
	no) [ "$mtime" != "$src_mtime" ] ||
		fail "--preserve=$1 $2, $3: took SOURCE's mtime" ;;
	esac
}

# No new; dst ours, mode 640.
fresh() {
	rm -f new dst
	random_file dst 100
	chmod 640 dst
}

for args in '' '-j 2 -c 4K' '--atomic'; do
	fresh
	check mode "$args" new "$me" 755 no
	check mode "$args" dst "$me" 755 no
	fresh
	check timestamps "$args" new "$me" 700 yes
	check timestamps "$args" dst "$me" 640 yes
	fresh
	check ownership "$args" new 65534:65534 700 no
	check ownership "$args" dst 65534:65534 640 no
	fresh
	check mode,ownership "$args" new 65534:65534 4755 no
	check ownership,timestamps "$args" dst 65534:65534 640 yes
	rm -f new
	check all "$args" new 65534:65534 4755 yes
done

# A bare --preserve is all three and takes no word after it.
rm -f new
expect_exit 0 "$MCP" --preserve src new
expect_silent
[ "$(stat -c '%u:%g %a %Y' new)" = "65534:65534 4755 $src_mtime" ] ||
	fail "bare --preserve: $(stat -c '%u:%g %a %Y' new)"

# An attribute mcp does not know: exit 2, nothing created.
rm -f new
expect_exit 2 "$MCP" --preserve=mode,links src new
expect_no_stdout
expect_stderr \
	"mcp: invalid argument 'links' for '--preserve' (mode, ownership, timestamps or all)" \
	"Try 'mcp --help' for more information."
[ ! -e new ] || fail "a usage error created new"
no_leftovers . src dst
