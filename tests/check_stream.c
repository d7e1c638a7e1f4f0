/*
 * check_stream.c - stream_copy() from a pipe fed by a child process into
 * a file under $TMPDIR: sizes either side of the buffer, limits that stop
 * it early or find SOURCE short, read and write errors, and a terminating
 * signal while it waits on a pipe that never gets data.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "check_util.h"
#include "signals.h"
#include "stream.h"

#define BUF ((uint64_t)MCP_STREAM_BUF)

static void fill(unsigned char *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 131 + (i >> 12));
}

/* A file opened for writing, already unlinked. */
static int temp_dest(void)
{
	char path[PATH_MAX];
	int fd = check_tmpfile(path, sizeof path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	return fd;
}

/* The read end of a pipe into which a child writes data[0..n) and exits;
 * more than the pipe holds, so the writer must run alongside. */
static int pipe_from_child(const unsigned char *data, uint64_t n, pid_t *pid)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		close(p[0]);
		while (n > 0) {
			ssize_t w = write(p[1], data, n);

			if (w <= 0)
				_exit(1);
			data += w;
			n -= (uint64_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static void reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}

static const struct {
	uint64_t data;  /* bytes the pipe delivers */
	uint64_t limit;
	int rc;
	uint64_t bytes; /* copied */
} cases[] = {
	{ 0, MCP_STREAM_TO_EOF, 0, 0 },
	{ 1, MCP_STREAM_TO_EOF, 0, 1 },
	{ BUF - 1, MCP_STREAM_TO_EOF, 0, BUF - 1 },
	{ BUF, MCP_STREAM_TO_EOF, 0, BUF },
	{ 3 * BUF + 7, MCP_STREAM_TO_EOF, 0, 3 * BUF + 7 },
	{ 0, 0, 0, 0 },
	/* A known size stops the copy there, as with a mapped SOURCE... */
	{ 3 * BUF + 7, BUF + 5, 0, BUF + 5 },
	{ 5000, 5000, 0, 5000 },
	/* ...and a SOURCE that ends before it has shrunk. */
	{ 5000, 5001, -1, 5000 },
	{ 0, 1, -1, 0 },
};

START_TEST(test_copy)
{
	uint64_t n = cases[_i].data;
	unsigned char *data = malloc(n + 1), *got = malloc(n + 1);
	struct mcp_stream s = { .src = "pipe", .dst = "file" };
	pid_t pid;

	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_nonnull(got);
	fill(data, n);
	s.src_fd = pipe_from_child(data, n, &pid);
	s.dst_fd = temp_dest();
	s.limit = cases[_i].limit;
	ck_assert_int_eq(stream_copy(&s), cases[_i].rc);
	ck_assert_uint_eq(s.bytes, cases[_i].bytes);
	/* DEST holds exactly the bytes counted, from the start. */
	ck_assert_int_eq(pread(s.dst_fd, got, n + 1, 0), (ssize_t)s.bytes);
	ck_assert_int_eq(memcmp(got, data, s.bytes), 0);
	close(s.src_fd);
	reap(pid);
	close(s.dst_fd);
	free(data);
	free(got);
}
END_TEST

/* Reading a directory fails (EISDIR); writing a read-only descriptor
 * fails (EBADF): both end the copy with -1 and nothing counted. */
START_TEST(test_errors)
{
	struct mcp_stream s = { .src = "src", .dst = "dst",
				.limit = MCP_STREAM_TO_EOF };
	int ro = open("/dev/null", O_RDONLY);

	s.src_fd = open(".", O_RDONLY | O_DIRECTORY);
	s.dst_fd = temp_dest();
	ck_assert_int_ge(s.src_fd, 0);
	ck_assert_int_eq(stream_copy(&s), -1);
	ck_assert_uint_eq(s.bytes, 0);
	close(s.src_fd);

	ck_assert_int_ge(ro, 0);
	s.src_fd = open("/dev/zero", O_RDONLY);
	ck_assert_int_ge(s.src_fd, 0);
	close(s.dst_fd);
	s.dst_fd = ro;
	ck_assert_int_eq(stream_copy(&s), -1);
	ck_assert_uint_eq(s.bytes, 0);
	close(s.src_fd);
	close(ro);
}
END_TEST

/* A pipe whose writer stays open and silent: stream_copy waits until a
 * SIGTERM arrives, then returns -1 with the signal recorded. */
START_TEST(test_signal)
{
	struct mcp_stream s = { .src = "pipe", .dst = "file",
				.limit = MCP_STREAM_TO_EOF };
	int p[2];
	pid_t pid, parent = getpid();

	ck_assert_int_eq(signals_init(), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		usleep(200000);
		kill(parent, SIGTERM);
		_exit(0);
	}
	s.src_fd = p[0];
	s.dst_fd = temp_dest();
	ck_assert_int_eq(stream_copy(&s), -1);
	ck_assert_int_eq(signals_caught(), SIGTERM);
	ck_assert_uint_eq(s.bytes, 0);
	reap(pid);
	close(p[0]);
	close(p[1]);
	close(s.dst_fd);
}
END_TEST

static Suite *stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("stream");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_loop_test(tc, test_copy, 0, ARRAY_LEN(cases));
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_signal);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(stream_suite());
}
