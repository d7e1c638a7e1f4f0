/*
 * quote.h - file names in diagnostics, quoted as coreutils quotes them,
 * so that one message stays one line in a log whatever the name holds.
 */
#ifndef MCP_QUOTE_H
#define MCP_QUOTE_H

#include <stddef.h>

/* Room for a quoted name; a longer one is cut, ending in "...". */
#define QUOTE_MAX 8192

void quote_to(char *buf, size_t size, const char *name);
const char *quote(const char *name);
const char *quote_bare(const char *name);

#endif
