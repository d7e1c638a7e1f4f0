/*
 * term.h - the width of the terminal -P draws on: read with TIOCGWINSZ,
 * and again after each SIGWINCH.
 */
#ifndef MCP_TERM_H
#define MCP_TERM_H

/* Columns assumed when a terminal does not say (a serial line). */
#define TERM_DEFAULT_COLUMNS 80

unsigned term_columns(int fd);

#endif
