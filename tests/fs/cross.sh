#!/bin/sh
# The file-system matrix across devices: every kind of tests/fs that
# can be mounted here, and a copy from each to each other one, with a
# hole in SOURCE: the bytes, the hole (where both file systems keep
# holes), the mode; --reflink=always cannot clone across file systems
# and fails, leaving nothing, while the default copies.  Needs root;
# skips (77) unless two kinds can be mounted.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"
# shellcheck source=SCRIPTDIR/lib-fs.sh
. "$MCP_SRCDIR/tests/fs/lib-fs.sh"

kinds=
for k in ext4 xfs xfs-reflink btrfs tmpfs overlay fuse; do
	if fs_mount "$k"; then
		kinds="$kinds $k"
		eval "dir_$(echo "$k" | tr - _)=\$FS_DIR"
	else
		echo "cross: no $k: $FS_WHY"
	fi
done
# shellcheck disable=SC2086 # count the words
[ "$(set -- $kinds && echo $#)" -ge 2 ] ||
	skip "fewer than two kinds of file system:$kinds"

# dir_of KIND: where its files go.
dir_of() {
	eval "echo \"\$dir_$(echo "$1" | tr - _)\""
}

# 8 MiB + 3 bytes: 1 MiB + 3 of data, a hole, the last 3 bytes.
for a in $kinds; do
	d=$(dir_of "$a")
	sparse_file "$d/f" 8388611
	write_random_at "$d/f" 0 1048579
	write_random_at "$d/f" 8388608 3
	chmod 640 "$d/f"
done

for a in $kinds; do
	for b in $kinds; do
		[ "$a" != "$b" ] || continue
		s=$(dir_of "$a")/f
		d=$(dir_of "$b")/c
		fs_copy "$s" "$d" -j 4
		[ "$(file_mode "$d")" = 640 ] ||
			fail "$a -> $b: mode $(file_mode "$d")"
		# No more data than SOURCE has (faultfs reports no holes:
		# all of its file is data).
		if fs_holes "$(dir_of "$b")"; then
			[ "$(fs_data_bytes "$d")" -le \
				$(($(fs_data_bytes "$s") + 1048576)) ] ||
				fail "$a -> $b: the hole was filled"
		fi
		rm "$d"
		expect_exit 1 "$MCP" --reflink "$s" "$d"
		expect_stderr_has "mcp: $d: cannot clone: "
		[ ! -e "$d" ] || fail "$a -> $b: a failed --reflink left $d"
		fs_copy "$s" "$d" --verify --sparse=always -j 1
		rm "$d"
	done
done
echo "cross: $kinds"
