/*
 * report.h - what mcp tells about its copies when asked: the progress of
 * each (-P), dd's summary line (--stats, and on SIGUSR1), one JSON object
 * on stdout (--json).  main brackets each file with report_begin and
 * report_end; the engine reports its plan and the counters it copies
 * with.  Parent process only.
 */
#ifndef MCP_REPORT_H
#define MCP_REPORT_H

#include <stdio.h>

#include "mcp.h"
#include "workers.h"

int report_init(const struct mcp_opts *opts, int n_sources, const char *dest);
void report_begin(const char *src, const char *dst);
void report_plan(const struct mcp_plan *plan);
void report_stream(uint64_t total);
void report_holes(uint64_t bytes);
void report_resumed(uint64_t bytes);
void report_verified(void);
void report_cloned(uint64_t size);
void report_count(uint64_t bytes);
void report_copied(uint64_t bytes);
void report_workers(unsigned n);
void report_skipped(void);
void report_end(int rc);
void report_tick(void *unused);
void report_workers_tick(void *unused, const struct workers_pool *pool);
int report_finish(int status);
void report_json_string(FILE *out, const char *s);

#endif
