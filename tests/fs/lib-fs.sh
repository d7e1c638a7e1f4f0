# shellcheck shell=sh
# lib-fs.sh - the file-system matrix (tests/fs): mounting small file
# systems of each kind, and the cases every one of them must pass.
# Sourced after lib.sh, never run:
#
#	. "$MCP_SRCDIR/tests/cli/lib.sh"
#	. "$MCP_SRCDIR/tests/fs/lib-fs.sh"
#
# Each file system lives in a sparse image under $TMP/x (on the disk of
# TMPDIR: only the blocks written take room), on a loop device that,
# like the mount, is undone at exit however the test ends.  A kind the
# kernel or the tools cannot make is a skip (77), said with its reason.

# Sizes of the images, in MiB: small, yet room for a 64 MiB file a few
# times over (XFS wants 300 MiB at least).
FS_MIB=320

# fs_why TEXT: say why a kind cannot be had (FS_WHY), and return 1.
# shellcheck disable=SC2034 # FS_WHY and FS_DIR are for the caller
fs_why() {
	FS_WHY=$*
	return 1
}

# fs_loop_image KIND: make $TMP/x/KIND.img, sparse, with mkfs for KIND
# (ext4, xfs, xfs-reflink, btrfs).  Returns 1 (FS_WHY) when the tool is
# missing or fails.
fs_loop_image() {
	lib_img=$TMP/x/$1.img
	truncate -s "${FS_MIB}M" "$lib_img" || hard_error "cannot make $lib_img"
	case $1 in
	ext4) set -- mkfs.ext4 -q -F "$lib_img" ;;
	xfs) set -- mkfs.xfs -q -f -m reflink=0 "$lib_img" ;;
	xfs-reflink) set -- mkfs.xfs -q -f -m reflink=1 "$lib_img" ;;
	btrfs) set -- mkfs.btrfs -q -f "$lib_img" ;;
	*) hard_error "fs_loop_image: unknown kind $1" ;;
	esac
	command -v "$1" >/dev/null 2>&1 || fs_why "needs the command '$1'" ||
		return 1
	"$@" >"$TMP/x/mkfs.log" 2>&1 ||
		fs_why "$1: $(cat "$TMP/x/mkfs.log")"
}

# fs_mount KIND: mount a fresh file system of KIND on $WORK/KIND, and
# set FS_DIR to it; or return 1, with FS_WHY saying why not.  KIND is ext4, xfs (reflink=0), xfs-reflink, btrfs,
# tmpfs, overlay (DEST's side: the merged view; the lower layer is
# $WORK/overlay-layers/lower) or fuse (faultfs's writable /out).
fs_mount() {
	need_root
	need_cmd mount umount losetup python3
	lib_m=$WORK/$1
	mkdir -p "$lib_m" || hard_error "cannot make $lib_m"
	case $1 in
	tmpfs) fs_mount_tmpfs "$lib_m" ;;
	overlay) fs_mount_overlay "$lib_m" ;;
	fuse) fs_mount_fuse "$lib_m" ;;
	*) fs_mount_loop "$1" "$lib_m" ;;
	esac
}

fs_mount_tmpfs() {
	mount -t tmpfs -o "size=${FS_MIB}m" tmpfs "$1" 2>"$TMP/x/mount.log" ||
		fs_why "cannot mount a tmpfs: $(cat "$TMP/x/mount.log")" ||
		return 1
	at_exit "umount '$1' 2>/dev/null || umount -l '$1'"
	FS_DIR=$1
}

# The layers live on a tmpfs of our own: TMPDIR may itself be an overlay,
# which cannot be an upper layer.
fs_mount_overlay() {
	lib_l=$WORK/overlay-layers
	mkdir -p "$lib_l" || hard_error "cannot make $lib_l"
	fs_mount_tmpfs "$lib_l" || return 1
	mkdir "$lib_l/lower" "$lib_l/upper" "$lib_l/work" ||
		hard_error "cannot make the layers"
	mount -t overlay overlay -o \
		"lowerdir=$lib_l/lower,upperdir=$lib_l/upper,workdir=$lib_l/work" \
		"$1" 2>"$TMP/x/mount.log" ||
		fs_why "cannot mount overlayfs: $(cat "$TMP/x/mount.log")" ||
		return 1
	at_exit "umount '$1' 2>/dev/null || umount -l '$1'"
	FS_DIR=$1
}

fs_mount_fuse() {
	# shellcheck source=SCRIPTDIR/../fault/lib-fuse.sh
	. "$MCP_SRCDIR/tests/fault/lib-fuse.sh"
	[ -n "${FAULTFS:-}" ] && [ -x "$FAULTFS" ] ||
		fs_why "faultfs was not built (needs libfuse3)" || return 1
	[ -c /dev/fuse ] || fs_why "needs /dev/fuse" || return 1
	lib_fuse_start "$1" ||
		fs_why "cannot mount faultfs: $(cat "$LIB_FUSE_LOG")" || return 1
	FS_DIR=$1/out
}

# The loop device goes last (at_exit runs the newest first), and only
# ours: losetup -j names the devices backed by our image.
# shellcheck disable=SC2034 # FS_DIR is for the caller
fs_mount_loop() {
	fs_loop_image "$1" || return 1
	at_exit "losetup -n -O NAME -j '$lib_img' | while read -r d; do losetup -d \"\$d\"; done"
	mount -o loop "$lib_img" "$2" 2>"$TMP/x/mount.log" ||
		fs_why "cannot mount $1 on a loop device: $(cat "$TMP/x/mount.log")" ||
		return 1
	at_exit "umount '$2' 2>/dev/null || umount -l '$2'"
	FS_DIR=$2
}

# fs_clones KIND: whether KIND shares extents (FICLONE).
fs_clones() {
	case $1 in
	xfs-reflink | btrfs) return 0 ;;
	*) return 1 ;;
	esac
}

# fs_layout FILE: FILE's size, then each data segment "offset length",
# by SEEK_DATA and SEEK_HOLE; a file system without holes reports one.
fs_layout() {
	python3 - "$1" <<'EOF'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
size = os.fstat(fd).st_size
print(size)
pos = 0
while pos < size:
    try:
        d = os.lseek(fd, pos, os.SEEK_DATA)
    except OSError:
        break
    h = os.lseek(fd, d, os.SEEK_HOLE)
    print(d, h - d)
    pos = h
EOF
}

# fs_same SRC DST: DST has SRC's size and bytes, reading only what is
# data in either (a 4 GiB hole is not read 4 GiB of zeros at a time).
fs_same() {
	[ -f "$2" ] || fail "$2 was not created"
	python3 - "$1" "$2" <<'EOF' >&2 || fail "$2 differs from $1 (above)"
import os, sys
def layout(fd):
    size, pos, segs = os.fstat(fd).st_size, 0, []
    while pos < size:
        try:
            d = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError:
            break
        h = os.lseek(fd, d, os.SEEK_HOLE)
        segs.append((d, h))
        pos = h
    return size, segs
a, b = (os.open(p, os.O_RDONLY) for p in sys.argv[1:3])
(sa, ga), (sb, gb) = layout(a), layout(b)
if sa != sb:
    sys.exit("sizes %d and %d" % (sa, sb))
for start, end in ga + gb:
    pos = start
    while pos < end:
        n = min(end - pos, 1 << 22)
        if os.pread(a, n, pos) != os.pread(b, n, pos):
            sys.exit("bytes differ in [%d, %d)" % (pos, pos + n))
        pos += n
EOF
}

# fs_data_bytes FILE: the bytes of FILE's data segments.
fs_data_bytes() {
	fs_layout "$1" | awk 'NR > 1 { n += $2 } END { print n + 0 }'
}

# fs_sparse_file FILE: 4 GiB + 5 bytes, data only at 1 MiB (64 KiB) and
# in the last 3 bytes: beyond 32-bit offsets, mostly a hole.
fs_sparse_file() {
	sparse_file "$1" $((4 * 1024 * 1024 * 1024 + 5))
	write_random_at "$1" 1048576 65536
	write_random_at "$1" $((4 * 1024 * 1024 * 1024 + 2)) 3
}

# fs_copy SRC DST MCP_ARG...: mcp MCP_ARG... SRC DST succeeds silently
# and DST is SRC.
fs_copy() {
	lib_s=$1
	lib_d=$2
	shift 2
	expect_exit 0 "$MCP" "$@" "$lib_s" "$lib_d"
	expect_silent
	fs_same "$lib_s" "$lib_d"
}

# fs_holes DIR: whether the file system of DIR keeps holes (faultfs
# does not: every byte of its files is data).
fs_holes() {
	sparse_file "$1/.holes" 16777216
	lib_h=$(fs_data_bytes "$1/.holes")
	rm -f "$1/.holes"
	[ "$lib_h" -lt 1048576 ]
}

# fs_cases KIND SRCDIR DSTDIR: what every file system must do, SOURCE
# in SRCDIR, DEST in DSTDIR (the same file system, but for overlay's
# lower layer and merged view).  FS_NO_BIG set: no 4 GiB file (faultfs
# keeps its files in memory, up to 1 GiB).
fs_cases() {
	FS_KEEP=$(cd "$3" && ls -A)
	fs_sizes "$2" "$3"
	[ -n "${FS_NO_BIG:-}" ] || fs_sparse_4g "$1" "$2" "$3"
	fs_options "$2" "$3"
	fs_reflink "$1" "$2" "$3"
	# shellcheck disable=SC2086 # a list of names
	no_leftovers "$3" $FS_KEEP
}

# Sizes 0, a page - 1, a page, a page + 1, 64 MiB + 3: with -j 1 and
# -j 4 through the byte copy, and with the defaults (a clone where the
# file system can); a new DEST gets SOURCE's mode, less the umask.
fs_sizes() {
	lib_p=$(getconf PAGESIZE)
	for lib_n in 0 $((lib_p - 1)) "$lib_p" $((lib_p + 1)) \
		$((64 * 1048576 + 3)); do
		random_file "$1/n" "$lib_n"
		chmod 640 "$1/n"
		for lib_o in "-j 1 --reflink=never" "-j 4 --reflink=never" ""; do
			# shellcheck disable=SC2086 # a list of plain words
			fs_copy "$1/n" "$2/c" $lib_o
			[ "$(file_mode "$2/c")" = 640 ] ||
				fail "$lib_n bytes, $lib_o: mode $(file_mode "$2/c")"
			rm "$2/c"
		done
	done
	mv "$1/n" "$1/big"
}

# A sparse file past 4 GiB: same bytes, and DEST's holes stay holes (by
# SEEK_DATA, and by the blocks it takes) where the file system has them;
# with --sparse=never it is written in full (checked by bytes only: the
# images are smaller than 4 GiB... so never is not tried here).
fs_sparse_4g() {
	fs_sparse_file "$2/s4g"
	for lib_o in "--reflink=never -j 4" "--reflink=never -j 1" ""; do
		# shellcheck disable=SC2086 # a list of plain words
		fs_copy "$2/s4g" "$3/c" $lib_o
		if fs_holes "$3"; then
			[ "$(fs_data_bytes "$3/c")" -le 4194304 ] ||
				fail "s4g $lib_o: $(fs_data_bytes "$3/c") bytes of data"
			[ "$(file_alloc "$3/c")" -le 16777216 ] ||
				fail "s4g $lib_o: $(file_alloc "$3/c") bytes allocated"
		fi
		rm "$3/c"
	done
	rm "$2/s4g"
}

# --atomic over an old DEST, --sparse=always, --verify, -p: on 16 MiB
# + 3 (a few chunks for -j 4; the 64 MiB file would only take longer).
fs_options() {
	random_file "$1/mid" $((16 * 1048576 + 3))
	random_file "$2/old" 1000
	fs_copy "$1/mid" "$2/old" --atomic -j 4 --reflink=never
	fs_copy "$1/mid" "$2/old" --atomic
	rm "$2/old"
	# 8 MiB written as zeros, then 1 MiB of data: --sparse=always leaves
	# the zeros unwritten.
	dd if=/dev/zero of="$1/z" bs=1M count=8 status=none ||
		hard_error "cannot write zeros"
	write_random_at "$1/z" 8388608 1048576
	fs_copy "$1/z" "$2/c" --sparse=always --reflink=never -j 4
	if fs_holes "$2"; then
		[ "$(fs_data_bytes "$2/c")" -le 2097152 ] ||
			fail "--sparse=always wrote $(fs_data_bytes "$2/c") bytes"
	fi
	rm "$2/c" "$1/z"
	fs_copy "$1/mid" "$2/c" --verify -j 4 --reflink=never
	fs_copy "$1/mid" "$2/c" --verify
	rm "$2/c"
	chmod 604 "$1/mid"
	set_old_mtime "$1/mid"
	for lib_o in --reflink=never ""; do
		# shellcheck disable=SC2086 # empty or one word
		fs_copy "$1/mid" "$2/c" -p $lib_o
		[ "$(file_mode "$2/c")" = 604 ] ||
			fail "-p $lib_o: mode $(file_mode "$2/c")"
		[ "$(file_mtime "$2/c")" = "$(file_mtime "$1/mid")" ] ||
			fail "-p $lib_o: mtime $(file_mtime "$2/c")"
		rm "$2/c"
	done
	rm "$1/mid"
}

# --reflink: always clones where the file system can (no new blocks;
# --json says so; the holes stay), and elsewhere fails, exit 1, leaving
# nothing; auto then copies.
fs_reflink() {
	if fs_clones "$1"; then
		sync
		lib_f=$(($(stat -f -c '%f * %S' "$3")))
		expect_exit 0 "$MCP" --reflink --json --verify "$2/big" "$3/c"
		fs_same "$2/big" "$3/c"
		grep -q '"verified":true,"cloned":true' "$OUT" ||
			fail "--json does not say cloned: $(cat "$OUT")"
		sync
		[ $(($(stat -f -c '%f * %S' "$3") + 8388608)) -ge "$lib_f" ] ||
			fail "the clone took new blocks"
		rm "$3/c"
		expect_exit 0 "$MCP" -v --reflink=always --verify "$2/big" "$3/c"
		expect_stderr "mcp: '$2/big' -> '$3/c': $(file_size "$2/big") bytes, cloned" \
			"mcp: '$3/c': verified: a clone of '$2/big'"
		rm "$3/c"
		if [ -z "${FS_NO_BIG:-}" ]; then
			fs_sparse_file "$2/s4g"
			fs_copy "$2/s4g" "$3/c" --reflink=always --sparse=always
			[ "$(fs_data_bytes "$3/c")" -le 4194304 ] ||
				fail "the clone lost the holes"
			rm "$3/c" "$2/s4g"
		fi
	else
		expect_exit 1 "$MCP" --reflink "$2/big" "$3/c"
		expect_stderr_has "mcp: $3/c: cannot clone: "
		[ ! -e "$3/c" ] || fail "--reflink=always left $3/c"
		expect_exit 0 "$MCP" --json "$2/big" "$3/c"
		grep -q '"cloned":false' "$OUT" ||
			fail "--json says cloned: $(cat "$OUT")"
		fs_same "$2/big" "$3/c"
		rm "$3/c"
	fi
	rm "$2/big"
}

# fs_full KIND DIR: a file system with less than 4 MiB left fails a 16 MiB copy,
# -j 1 and -j 4, with --atomic too, exit 1, "No space left on device",
# and leaves nothing; the room comes back.
fs_full() {
	lib_k=$(cd "$2" && ls -A)
	random_file "$TMP/x/16m" 16777216
	# 4 MiB at a time, up to what the file system refuses (btrfs cannot
	# give all it calls free to data), so less than 4 MiB is left.
	lib_off=0
	while fallocate -o "$lib_off" -l 4194304 "$2/filler" 2>/dev/null; do
		lib_off=$((lib_off + 4194304))
	done
	[ "$lib_off" -gt 0 ] || hard_error "cannot fill $2"
	for lib_o in "-j 1" "-j 4" "--atomic -j 4" "--sparse=always -j 4"; do
		# shellcheck disable=SC2086 # a list of plain words
		expect_exit 1 "$MCP" $lib_o "$TMP/x/16m" "$2/c"
		expect_stderr_has "No space left on device"
		# shellcheck disable=SC2086 # a list of names
		no_leftovers "$2" filler $lib_k
	done
	rm "$2/filler" "$TMP/x/16m"
}
