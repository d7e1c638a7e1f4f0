/*
 * preserve.c - give DEST the mode, owner and group, and times of another
 * file: SOURCE with --preserve (all three, or those it lists), or the
 * old DEST that an --atomic copy replaces.
 * Owner before mode, because chown clears the set-user-ID and
 * set-group-ID bits; times after the last write to the data.  Functions
 * that return -1 have printed their error.
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include "msg.h"
#include "preserve.h"

/* Whether fd already has the owner and group of `from`. */
static bool same_owner(int fd, const struct stat *from)
{
	struct stat now;

	return fstat(fd, &now) == 0 && now.st_uid == from->st_uid &&
	       now.st_gid == from->st_gid;
}

/*
 * Give fd the owner and group of `from`.  Returns 1 when both are set, 0
 * when an unprivileged user may not (then, as cp -p does, silently: the
 * group alone is set if the user belongs to it), -1 after printing.
 */
static int set_owner(int fd, const char *path, const struct stat *from)
{
	if (same_owner(fd, from))
		return 1;
	if (fchown(fd, from->st_uid, from->st_gid) == 0)
		return 1;
	if (geteuid() == 0 || (errno != EPERM && errno != EINVAL)) {
		msg_error(path, "cannot preserve ownership", errno);
		return -1;
	}
	/* The group alone, then; failing that too only means the user is
	 * not in the group. */
	if (fchown(fd, (uid_t)-1, from->st_gid) != 0 && errno != EPERM &&
	    errno != EINVAL) {
		msg_error(path, "cannot preserve ownership", errno);
		return -1;
	}
	return 0;
}

/*
 * Give fd the owner and group of `owner` and the permission bits of
 * `mode`, either of them NULL to leave that attribute alone.  The
 * set-user-ID, set-group-ID and sticky bits are kept only when fd has
 * the owner and group of the file they came from: a set-ID file must
 * not run as someone it was not meant for.  The mode is tried even when
 * the owner failed, so that each attribute that could not be preserved
 * has its line.  Returns 0, or -1 after printing.
 */
int preserve_attrs(int fd, const char *path, const struct stat *owner,
		   const struct stat *mode)
{
	int owned = owner ? set_owner(fd, path, owner) : 1;
	int rc = owned < 0 ? -1 : 0;
	mode_t bits;

	if (!mode)
		return rc;
	bits = mode->st_mode & 07777;
	if (owned <= 0 || !same_owner(fd, mode))
		bits &= ~(mode_t)(S_ISUID | S_ISGID | S_ISVTX);
	if (fchmod(fd, bits) != 0) {
		msg_error(path, "cannot preserve permissions", errno);
		rc = -1;
	}
	return rc;
}

/* Give fd the owner, group and permission bits of `from`, as
 * preserve_attrs.  Returns 0, or -1 after printing. */
int preserve_owner_mode(int fd, const char *path, const struct stat *from)
{
	return preserve_attrs(fd, path, from, from);
}

/* Give fd the access and modification times of `from`, to the
 * nanosecond.  Returns 0, or -1 after printing. */
int preserve_times(int fd, const char *path, const struct stat *from)
{
	const struct timespec times[2] = { from->st_atim, from->st_mtim };

	if (futimens(fd, times) != 0) {
		msg_error(path, "cannot preserve timestamps", errno);
		return -1;
	}
	return 0;
}
