/*
 * check_util.h - what the Check suites share: running a suite with the
 * usual summary line, and temporary files under $TMPDIR (or /tmp).
 * Everything here is static inline, so each suite takes what it uses.
 */
#ifndef MCP_CHECK_UTIL_H
#define MCP_CHECK_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds a test may take before Check kills it. */
#define CHECK_TIMEOUT 30

/* Run every test of the suite, print Check's normal report and return
 * the process exit status. */
static inline int check_main(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Create an empty temporary file; its name goes to path[size].  Returns
 * the descriptor, open for reading and writing, or -1. */
static inline int check_tmpfile(char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");

	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, size, "%s/mcp-check-XXXXXX", dir) >= size)
		return -1;
	return mkstemp(path);
}

#endif
