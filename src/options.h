/*
 * options.h - the command line: popt tables, help, usage and version, and
 * the strict parsers for job counts and sizes.
 */
#ifndef MCP_OPTIONS_H
#define MCP_OPTIONS_H

#include <stddef.h>

#include "mcp.h"

int options_parse(int argc, const char **argv, struct mcp_opts *opts,
		  int *status);
void options_free(struct mcp_opts *opts);
int options_parse_jobs(const char *text, unsigned *jobs);
int options_parse_size(const char *text, uint64_t *size);
int options_parse_sparse(const char *text);
int options_parse_cache(const char *text);
int options_parse_reflink(const char *text);
int options_parse_sync_method(const char *text);
int options_parse_preserve(const char *text, unsigned *bits, char *bad,
			   size_t bad_size);
unsigned options_default_jobs(void);
int options_close_stdout(void);
int options_usage_error(const char *what);

#endif
