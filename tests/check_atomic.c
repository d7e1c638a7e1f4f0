/*
 * check_atomic.c - --atomic's temporary file: the names it may take
 * (table-driven, pure), and its life in a private directory: created
 * named or unnamed, renamed over DEST, linked beside an existing one
 * only with no_replace refused, or removed by atomic_abort.
 */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic.h"
#include "check_util.h"

#define MARK_LEN (sizeof MCP_ATOMIC_MARK - 1)

/* Base-62 digits: bits 0 is "AAAAAA", 1 is "BAAAAA", 62 is "ABAAAA". */
static const struct {
	size_t size;
	const char *name;
	uint64_t bits;
	int len;
	const char *want; /* NULL: only the length is checked */
} name_cases[] = {
	{ 64, "dst", 0, 15, ".dst.mcp-AAAAAA" },
	{ 64, "dst", 1, 15, ".dst.mcp-BAAAAA" },
	{ 64, "dst", 61, 15, ".dst.mcp-9AAAAA" },
	{ 64, "dst", 62, 15, ".dst.mcp-ABAAAA" },
	{ 64, "", 0, 12, "..mcp-AAAAAA" },
	{ 64, ".hidden", 0, 19, "..hidden.mcp-AAAAAA" },
	/* Cut to the buffer: 19 characters of room, 12 of them fixed. */
	{ 20, "abcdefghijkl", 0, 19, ".abcdefg.mcp-AAAAAA" },
	{ 13, "abc", 0, 12, "..mcp-AAAAAA" },
	{ 12, "abc", 0, -1, NULL },
	{ 1, "abc", 0, -1, NULL },
	{ 0, "abc", 0, -1, NULL },
	/* Cut to NAME_MAX, whatever the buffer. */
	{ 4096, "x", UINT64_MAX, 13, NULL },
	{ 4096, "LONG", 0, NAME_MAX, NULL },
};

START_TEST(test_temp_name)
{
	char buf[4096], name[NAME_MAX + 2];
	const char *in = name_cases[_i].name;
	int len;

	if (strcmp(in, "LONG") == 0) {
		memset(name, 'n', sizeof name - 1);
		name[sizeof name - 1] = '\0';
		in = name;
	}
	memset(buf, '#', sizeof buf);
	len = atomic_temp_name(buf, name_cases[_i].size, in,
			       name_cases[_i].bits);
	ck_assert_int_eq(len, name_cases[_i].len);
	if (len < 0)
		return;
	ck_assert_uint_eq(strlen(buf), (size_t)len);
	ck_assert_int_eq(buf[0], '.');
	ck_assert_ptr_null(strchr(buf, '/'));
	ck_assert(strncmp(buf + len - MCP_ATOMIC_RANDOM - MARK_LEN,
			  MCP_ATOMIC_MARK, MARK_LEN) == 0);
	for (int i = len - MCP_ATOMIC_RANDOM; i < len; i++)
		ck_assert_msg(isalnum((unsigned char)buf[i]), "%s", buf);
	if (name_cases[_i].want)
		ck_assert_str_eq(buf, name_cases[_i].want);
}
END_TEST

/* Different bits, different names (no two of these collide). */
START_TEST(test_temp_name_random)
{
	char a[64], b[64];

	for (uint64_t bits = 1; bits < (1ULL << 40); bits = bits * 3 + 1) {
		ck_assert_int_ge(atomic_temp_name(a, sizeof a, "f", bits), 0);
		ck_assert_int_ge(atomic_temp_name(b, sizeof b, "f", bits + 1),
				 0);
		ck_assert_str_ne(a, b);
	}
}
END_TEST

/* A private directory for each test, emptied and removed after it. */
static char dir[PATH_MAX];

static void dir_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	ck_assert((size_t)snprintf(dir, sizeof dir, "%s/mcp-check-XXXXXX",
				   tmp) < sizeof dir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void dir_teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(dir);
}

/* The path of `name` in the private directory (a static buffer). */
static const char *in_dir(const char *name)
{
	static char path[2][PATH_MAX];
	static int turn;

	turn = !turn;
	ck_assert((size_t)snprintf(path[turn], sizeof path[turn], "%s/%s",
				   dir, name) < sizeof path[turn]);
	return path[turn];
}

/* The names in the private directory, sorted, joined by spaces. */
static const char *listing(void)
{
	static char list[1024];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	ck_assert_int_ge(n, 0);
	list[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") &&
		    strcmp(names[i]->d_name, "..")) {
			if (list[0])
				strcat(list, " ");
			strcat(list, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return list;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(close(fd), 0);
}

static const char *read_file(const char *path)
{
	static char text[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = read(fd, text, sizeof text - 1);
	ck_assert_int_ge(n, 0);
	text[n] = '\0';
	close(fd);
	return text;
}

/* Create the temporary file for `dst`, fill it with `text`, name it and
 * close it: ready to replace. */
static void prepare(struct mcp_atomic *a, const char *dst, bool unnamed,
		    const char *text)
{
	struct stat st;
	int fd = atomic_open(a, in_dir(dst), unnamed);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	if (!unnamed)
		ck_assert_uint_gt(strlen(a->tmp), 0);
	ck_assert_int_eq(atomic_name(a, fd), 0);
	ck_assert_int_eq(close(fd), 0);
}

/* A named temporary file ".dst.mcp-XXXXXX" appears beside DEST while
 * the copy runs, and is renamed over DEST: no other name remains. */
START_TEST(test_named_replace)
{
	struct mcp_atomic a;
	char want[NAME_MAX + 8];

	write_file(in_dir("dst"), "old");
	prepare(&a, "dst", false, "new");
	snprintf(want, sizeof want, "%s dst", a.tmp);
	ck_assert_str_eq(listing(), want);
	ck_assert(strncmp(a.tmp, ".dst" MCP_ATOMIC_MARK, 9) == 0);
	ck_assert_int_eq(atomic_replace(&a, false, true), 0);
	ck_assert_str_eq(listing(), "dst");
	ck_assert_str_eq(read_file(in_dir("dst")), "new");
	atomic_abort(&a);
	ck_assert_str_eq(listing(), "dst");
}
END_TEST

/* Aborted, a named temporary file is removed and DEST kept. */
START_TEST(test_named_abort)
{
	struct mcp_atomic a;
	int fd;

	write_file(in_dir("dst"), "old");
	fd = atomic_open(&a, in_dir("dst"), false);
	ck_assert_int_ge(fd, 0);
	ck_assert_str_ne(listing(), "dst");
	close(fd);
	atomic_abort(&a);
	ck_assert_str_eq(listing(), "dst");
	ck_assert_str_eq(read_file(in_dir("dst")), "old");
}
END_TEST

/* Unnamed (O_TMPFILE, where the file system has it): no name at all
 * until atomic_name; aborted before, nothing to remove. */
START_TEST(test_unnamed)
{
	struct mcp_atomic a;
	int fd = atomic_open(&a, in_dir("new"), true);

	ck_assert_int_ge(fd, 0);
	if (a.tmp[0] == '\0')
		ck_assert_str_eq(listing(), "");
	ck_assert_int_eq(atomic_name(&a, fd), 0);
	ck_assert_str_eq(listing(), a.tmp);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(atomic_replace(&a, false, false), 0);
	ck_assert_str_eq(listing(), "new");
	atomic_abort(&a);

	fd = atomic_open(&a, in_dir("gone"), true);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
	atomic_abort(&a);
	ck_assert_str_eq(listing(), "new");
}
END_TEST

/* no_replace links instead of renaming: an existing DEST is refused
 * with EEXIST and kept; a missing one is created. */
START_TEST(test_no_replace)
{
	struct mcp_atomic a;

	write_file(in_dir("dst"), "old");
	prepare(&a, "dst", true, "new");
	ck_assert_int_eq(atomic_replace(&a, true, false), -1);
	ck_assert_str_eq(read_file(in_dir("dst")), "old");
	atomic_abort(&a);
	ck_assert_str_eq(listing(), "dst");

	prepare(&a, "other", false, "new");
	ck_assert_int_eq(atomic_replace(&a, true, false), 0);
	atomic_abort(&a);
	ck_assert_str_eq(listing(), "dst other");
	ck_assert_str_eq(read_file(in_dir("other")), "new");
}
END_TEST

/* Through a symbolic link, the target is replaced and the link stays. */
START_TEST(test_symlink)
{
	struct mcp_atomic a;
	struct stat st;

	write_file(in_dir("target"), "old");
	ck_assert_int_eq(symlink("target", in_dir("link")), 0);
	prepare(&a, "link", false, "new");
	ck_assert(strncmp(a.tmp, ".target" MCP_ATOMIC_MARK, 12) == 0);
	ck_assert_int_eq(atomic_replace(&a, false, true), 0);
	atomic_abort(&a);
	ck_assert_str_eq(listing(), "link target");
	ck_assert_int_eq(lstat(in_dir("link"), &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_str_eq(read_file(in_dir("target")), "new");
}
END_TEST

/* A directory that does not exist: an error, and nothing is created. */
START_TEST(test_no_dir)
{
	struct mcp_atomic a;

	ck_assert_int_eq(atomic_open(&a, in_dir("none/dst"), true), -1);
	ck_assert_int_eq(a.dir_fd, -1);
	ck_assert_str_eq(listing(), "");
}
END_TEST

static Suite *atomic_suite(void)
{
	Suite *s = suite_create("atomic");
	TCase *names = tcase_create("names");
	TCase *files = tcase_create("files");

	tcase_add_loop_test(names, test_temp_name, 0, ARRAY_LEN(name_cases));
	tcase_add_test(names, test_temp_name_random);
	tcase_set_timeout(files, CHECK_TIMEOUT);
	tcase_add_checked_fixture(files, dir_setup, dir_teardown);
	tcase_add_test(files, test_named_replace);
	tcase_add_test(files, test_named_abort);
	tcase_add_test(files, test_unnamed);
	tcase_add_test(files, test_no_replace);
	tcase_add_test(files, test_symlink);
	tcase_add_test(files, test_no_dir);
	suite_add_tcase(s, names);
	suite_add_tcase(s, files);
	return s;
}

int main(void)
{
	return check_main(atomic_suite());
}
