#!/bin/sh
# --cache: auto (the default) leaves the page cache as it found it; keep
# leaves both files cached; drop leaves neither.  Judged with fincore
# (util-linux), by what is resident of SOURCE and DEST after each copy:
# on the mapped path with one and several workers, with --verify, with
# --sync-method=msync, and on the read/write path.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd fincore dd
case $(stat -f -c %T .) in
tmpfs | ramfs) skip "TMPDIR is in RAM: its pages cannot be dropped" ;;
esac

SIZE=$((24 * 1048576))

# resident FILE: bytes of FILE in the page cache.
resident() {
	fincore -b -n -o RES -- "$1" || hard_error "fincore $1 failed"
}

# settled FILE: bytes of FILE cached once the kernel's read-ahead for the
# test's own reads has finished (it completes after the reader exits):
# the same count three times, a tenth of a second apart.
settled() {
	lib_prev=-1
	lib_same=0
	while [ "$lib_same" -lt 3 ]; do
		lib_now=$(resident "$1")
		if [ "$lib_now" = "$lib_prev" ]; then
			lib_same=$((lib_same + 1))
		else
			lib_same=0
		fi
		lib_prev=$lib_now
		sleep 0.1
	done
	echo "$lib_now"
}

# evict FILE: write it back and drop it from the page cache.
evict() {
	sync -- "$1"
	dd if="$1" iflag=nocache count=0 status=none ||
		hard_error "cannot drop $1 from the cache"
	[ "$(resident "$1")" -eq 0 ] || skip "cannot empty the page cache of $1"
}

# warm FILE: read it all into the page cache.
warm() {
	cat -- "$1" >/dev/null
	[ "$(resident "$1")" -eq "$SIZE" ] ||
		skip "cannot keep $1 in the page cache (memory is short)"
}

# expect_resident FILE BYTES [WHAT]: exactly BYTES of FILE are cached.
# Under valgrind, which reads the start of every file mcp maps (is it an
# object file with debugging information?), a cold file may keep that
# read's pages: up to one read-ahead, 128 KiB, is valgrind's, not mcp's.
expect_resident() {
	lib_r=$(resident "$1")
	if [ -n "${MCP_VALGRIND:-}" ] && [ "$2" -eq 0 ] &&
		[ "$lib_r" -le 131072 ]; then
		lib_r=0
	fi
	[ "$lib_r" -eq "$2" ] ||
		fail "${3:-}: $1: $lib_r bytes cached, expected $2"
}

# copy ARG...: run mcp ARG... src dst on a fresh dst, expect success in
# silence.  The caller looks at the cache, then calls same: comparing the
# files reads them into the cache.
copy() {
	rm -f dst
	expect_exit 0 "$MCP" "$@" src dst
	expect_silent
}

same() {
	expect_same src dst
	rm -f dst
}

random_file src "$SIZE"

for args in "" "-j 1" "-j 2 -c 4M" "--verify" "--sync-method=msync" \
	"-j 3 --sparse=never"; do
	# shellcheck disable=SC2086 # $args is a list of options
	set -- $args
	# A cold SOURCE is read and dropped; DEST is dropped once on disk.
	evict src
	copy "$@"
	expect_resident src 0 "cold, $args"
	expect_resident dst 0 "cold, $args"
	same
	# A hot SOURCE stays cached.
	warm src
	copy "$@"
	expect_resident src "$SIZE" "hot, $args"
	expect_resident dst 0 "hot, $args"
	same
	# A partly cached SOURCE keeps exactly what it had.
	evict src
	dd if=src of=/dev/null bs=1M count=8 status=none
	before=$(settled src)
	[ "$before" -lt "$SIZE" ] || skip "the kernel read all of src ahead"
	copy "$@"
	expect_resident src "$before" "partly cached, $args"
	expect_resident dst 0 "partly cached, $args"
	same
done

# keep: everything stays cached, as cp leaves it.
evict src
copy --cache=keep
expect_resident src "$SIZE" keep
expect_resident dst "$SIZE" keep
same

# drop: nothing stays, even of a hot SOURCE; with --verify too.
for args in "" "--verify" "-j 1"; do
	# shellcheck disable=SC2086 # $args is a list of options
	set -- $args
	warm src
	copy --cache=drop "$@"
	expect_resident src 0 "drop $args"
	expect_resident dst 0 "drop $args"
	same
done

# --no-sync: auto leaves DEST's (dirty) pages to the kernel; SOURCE
# follows the rules.
evict src
copy --no-sync
expect_resident src 0 "--no-sync"
expect_resident dst "$SIZE" "--no-sync"
same

# The read/write path: SOURCE read into a character device, and a pipe
# into a regular DEST.
evict src
expect_exit 0 "$MCP" src /dev/null
expect_silent
expect_resident src 0 "read/write, cold"
warm src
expect_exit 0 "$MCP" src /dev/null
expect_resident src "$SIZE" "read/write, hot"
rm -f dst
# shellcheck disable=SC2002 # a pipe, not the file, is the SOURCE
cat src | expect_exit 0 "$MCP" - dst
expect_silent
expect_resident dst 0 "read/write DEST"
same
# shellcheck disable=SC2002 # a pipe, not the file, is the SOURCE
cat src | expect_exit 0 "$MCP" --cache=keep - dst
expect_resident dst "$SIZE" "read/write DEST, keep"
same
evict src
dd if=src of=/dev/null bs=1M count=8 status=none
before=$(settled src)
expect_exit 0 "$MCP" src /dev/null
expect_resident src "$before" "read/write, partly cached"
warm src
expect_exit 0 "$MCP" --cache=drop src /dev/null
expect_resident src 0 "read/write, drop"
