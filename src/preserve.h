/*
 * preserve.h - --preserve: DEST takes another file's mode, owner and
 * times.
 */
#ifndef MCP_PRESERVE_H
#define MCP_PRESERVE_H

#include <sys/stat.h>

int preserve_attrs(int fd, const char *path, const struct stat *owner,
		   const struct stat *mode);
int preserve_owner_mode(int fd, const char *path, const struct stat *from);
int preserve_times(int fd, const char *path, const struct stat *from);

#endif
