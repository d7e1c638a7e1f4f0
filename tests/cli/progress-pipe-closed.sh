#!/bin/sh
# -P into a pipe whose reader goes away (mcp -P ... 2>&1 | head): the
# next line raises SIGPIPE, which stops the copy like SIGINT does: the
# incomplete DEST is removed and mcp dies by SIGPIPE (status 141).  When
# the copy was already finished (the final line met no reader), DEST is
# complete and stays.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_env_signals
random_file a 20971520
for jobs in 1 2; do
	# The reader takes the first byte and leaves; -P draws on every
	# chunk (a hidden test switch), so the next line meets no reader.
	(
		rc=0
		env --default-signal=PIPE "$MCP" -P --progress-interval=0 \
			-j "$jobs" -c 64K a b 2>&1 >/dev/null || rc=$?
		echo "$rc" >"$TMP/x/rc"
	) | head -c 1 >/dev/null
	rc=$(cat "$TMP/x/rc")
	[ "$rc" = 141 ] || fail "-j $jobs: $(describe_status "$rc"), expected 141"
	if [ -e b ]; then
		expect_same a b
		rm b
	fi
	no_leftovers . a
done
