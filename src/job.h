/*
 * job.h - one SOURCE to one DEST, from open to durable close.
 */
#ifndef MCP_JOB_H
#define MCP_JOB_H

#include "mcp.h"

int job_copy(const struct mcp_opts *opts, const char *src, const char *dst);

#endif
