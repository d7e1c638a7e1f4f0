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

# Pages the kernel has reclaimed from the page cache so far.
reclaimed() {
	awk '$1 == "pgsteal_file" { print $2; found = 1 }
	     END { if (!found) print 0 }' /proc/vmstat
}

# expect_kept FILE BYTES WHAT: BYTES of FILE are still cached, as they
# were before the copy.  More is mcp's doing (it kept what it read) and
# fails at once.  Less may be the kernel's: it can reclaim any clean page
# (memory pressure, a cgroup's limit) while mcp runs, so a shortfall is
# only noted in SHORT, for tries to run the case again.
expect_kept() {
	lib_r=$(resident "$1")
	[ "$lib_r" -le "$2" ] ||
		fail "$3: $1: $lib_r bytes cached, expected $2"
	if [ "$lib_r" -lt "$2" ] && [ -z "$SHORT" ]; then
		SHORT="$3: $1: $lib_r bytes cached, expected $2 (the kernel \
reclaimed $(($(reclaimed) - RECLAIMED)) pages meanwhile)"
	fi
}

# tries CMD...: run the case CMD; should it leave a shortfall in SHORT,
# run it again, up to three times in all.  mcp dropping pages it should
# keep does so every time; the kernel's reclaim is not that steady.
tries() {
	lib_try=1
	while :; do
		SHORT=
		RECLAIMED=$(reclaimed)
		"$@"
		[ -n "$SHORT" ] || return 0
		[ "$lib_try" -lt 3 ] || fail "$SHORT, in each of 3 tries"
		lib_try=$((lib_try + 1))
	done
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

# A cold SOURCE is read and dropped; DEST is dropped once on disk.
cold_case() {
	evict src
	copy "$@"
	expect_resident src 0 "cold, $*"
	expect_resident dst 0 "cold, $*"
	same
}

# A hot SOURCE stays cached.
hot_case() {
	warm src
	copy "$@"
	expect_kept src "$SIZE" "hot, $*"
	expect_resident dst 0 "hot, $*"
	same
}

# A partly cached SOURCE keeps exactly what it had.
partly_case() {
	evict src
	dd if=src of=/dev/null bs=1M count=8 status=none
	before=$(settled src)
	[ "$before" -lt "$SIZE" ] || skip "the kernel read all of src ahead"
	copy "$@"
	expect_kept src "$before" "partly cached, $*"
	expect_resident dst 0 "partly cached, $*"
	same
}

random_file src "$SIZE"

for args in "" "-j 1" "-j 2 -c 4M" "--verify" "--sync-method=msync" \
	"-j 3 --sparse=never"; do
	# shellcheck disable=SC2086 # $args is a list of options
	set -- $args
	cold_case "$@"
	tries hot_case "$@"
	tries partly_case "$@"
done

# keep: everything stays cached, as cp leaves it.
keep_case() {
	evict src
	copy --cache=keep
	expect_kept src "$SIZE" keep
	expect_kept dst "$SIZE" keep
	same
}
tries keep_case

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
no_sync_case() {
	evict src
	copy --no-sync
	expect_resident src 0 "--no-sync"
	expect_kept dst "$SIZE" "--no-sync"
	same
}
tries no_sync_case

# The read/write path: SOURCE read into a character device, and a pipe
# into a regular DEST.
evict src
expect_exit 0 "$MCP" src /dev/null
expect_silent
expect_resident src 0 "read/write, cold"
rw_hot_case() {
	warm src
	expect_exit 0 "$MCP" src /dev/null
	expect_kept src "$SIZE" "read/write, hot"
}
tries rw_hot_case
rm -f dst
# shellcheck disable=SC2002 # a pipe, not the file, is the SOURCE
cat src | expect_exit 0 "$MCP" - dst
expect_silent
expect_resident dst 0 "read/write DEST"
same
rw_keep_case() {
	# shellcheck disable=SC2002 # a pipe, not the file, is the SOURCE
	cat src | expect_exit 0 "$MCP" --cache=keep - dst
	expect_kept dst "$SIZE" "read/write DEST, keep"
	same
}
tries rw_keep_case
rw_partly_case() {
	evict src
	dd if=src of=/dev/null bs=1M count=8 status=none
	before=$(settled src)
	expect_exit 0 "$MCP" src /dev/null
	expect_kept src "$before" "read/write, partly cached"
}
tries rw_partly_case
warm src
expect_exit 0 "$MCP" --cache=drop src /dev/null
expect_resident src 0 "read/write, drop"
