/*
 * faultfs.c - a small in-memory FUSE file system that fails on purpose,
 * for the fault-injection tests of mcp (tests/fault).  Its read-only
 * files /good, /eio and /shrink hold a known pattern and, for the last
 * two, fail or shrink at a chosen offset while being read; files created
 * in /out/ live in memory, and a write past a chosen offset fails with
 * EIO or ENOSPC, and truncating one may be refused.  mcp maps both
 * files, so faults arrive as SIGBUS in its workers and as write-back
 * errors, the paths real disks take.  With --direct-io every file is
 * opened in FUSE's direct I/O mode, whose files refuse shared mappings
 * (ENODEV), as 9p with cache=none does: mcp must then copy through
 * read/write.  --corrupt-at=N stores the byte written at N in /out/
 * flipped, silently, as bad storage would: what --verify is for.
 *
 * --quota-at=N makes /out/ a file system whose user is at a quota from
 * byte N of each file: a read (as a page fault of a writable mapping of
 * DEST does) or a write reaching past N fails with EDQUOT, which a
 * mapping turns into SIGBUS, and so does a fallocate, which is how mcp
 * asks why.
 *
 * It can also hold a fallocate or an fsync of a file in /out/ until a
 * file FILE exists (a slow reservation or sync whose end the test
 * decides; it prints "faultfs: fallocate held" or "faultfs: fsync held"
 * when one begins), and print each read and write of a file in /out/
 * ("faultfs: write NAME OFFSET LENGTH"), so a test can tell whether
 * data was written or read back.
 *
 *	faultfs [--size=N] [--eio-at=N] [--shrink-at=N] [--shrink-to=N]
 *		[--wfail-at=N] [--wfail-errno=eio|enospc] [--no-fallocate]
 *		[--no-truncate] [--hold-fallocate=FILE] [--hold-fsync=FILE]
 *		[--log-io] [--quota-at=N] [--direct-io] [--corrupt-at=N]
 *		MOUNTPOINT [FUSE options]
 *	faultfs --print-pattern N	(the first N bytes of the pattern)
 *
 * N takes a K, M or G suffix (powers of 1024).  It runs in the
 * foreground, single-threaded, so no handler needs a lock.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define NEVER UINT64_MAX
/* Files in /out/ are kept in memory: refuse to grow one past this. */
#define MAX_FILE_SIZE (UINT64_C(1) << 30)
#define BLOCK 4096
/* What statfs reports: 1 TiB, so free space never looks short. */
#define TOTAL_BLOCKS (UINT64_C(1) << 28)
/* A held call goes on anyway after this long, so nothing hangs. */
#define HOLD_MAX_MS 60000

enum kind { K_ROOT, K_OUTDIR, K_GOOD, K_EIO, K_SHRINK, K_FILE };

/* Every object of the file system, so that a handle (fi->fh) is always
 * a node: the directories and pattern files are static ones. */
struct node {
	enum kind kind;
	char name[NAME_MAX + 1];
	char *data;	 /* K_FILE: the contents */
	uint64_t size;	 /* bytes in the file (K_SHRINK: as it is now) */
	uint64_t cap;	 /* bytes allocated at data */
	mode_t mode;	 /* with the S_IFMT bits */
	uid_t uid;
	gid_t gid;
	struct timespec atime, mtime, ctime;
	unsigned opens;	 /* open handles; an unlinked file lives on */
	bool linked;	 /* still has its name in /out/ */
	struct node *next; /* in /out/'s list */
};

static struct {
	uint64_t size, eio_at, shrink_at, shrink_to, wfail_at, quota_at;
	uint64_t corrupt_at;
	int wfail_errno;
	bool no_fallocate;
	bool no_truncate;
	bool direct_io;
	bool help;
	char *hold_fallocate, *hold_fsync; /* or NULL */
	bool log_io;
} conf = { 4 << 20, NEVER, NEVER, 0, NEVER, NEVER, NEVER, EIO, false, false,
	   false, false, NULL, NULL, false };

static struct node root = { .kind = K_ROOT, .mode = S_IFDIR | 0755 };
static struct node outdir = { .kind = K_OUTDIR, .name = "out",
			      .mode = S_IFDIR | 0755 };
static struct node good = { .kind = K_GOOD, .name = "good",
			    .mode = S_IFREG | 0444 };
static struct node eio = { .kind = K_EIO, .name = "eio",
			   .mode = S_IFREG | 0444 };
static struct node shrink = { .kind = K_SHRINK, .name = "shrink",
			      .mode = S_IFREG | 0444 };
static struct node *const top[] = { &outdir, &good, &eio, &shrink };
/* The files of /out/, newest first. */
static struct node *files;

/* ---- the pattern ---- */

/* splitmix64: every 8 bytes of the pattern come from their offset, so a
 * page copied to the wrong place, or a page of zeros, shows in cmp. */
static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* The pattern byte at `off`: never 0, so no page of it is a hole to
 * --sparse=always. */
static unsigned char pattern_byte(uint64_t off)
{
	return (unsigned char)(1 + (mix(off >> 3) >> (8 * (off & 7))) % 255);
}

static void fill_pattern(char *buf, uint64_t off, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)pattern_byte(off + i);
}

/* ---- options ---- */

/* "123", "64K", "8M", "1G" into *out.  Returns 0, or -1 for junk. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

enum { KEY_SIZE, KEY_EIO_AT, KEY_SHRINK_AT, KEY_SHRINK_TO, KEY_WFAIL_AT,
       KEY_CORRUPT_AT, KEY_WFAIL_ERRNO, KEY_NO_FALLOCATE, KEY_NO_TRUNCATE,
       KEY_HOLD_FALLOCATE, KEY_HOLD_FSYNC, KEY_LOG_IO, KEY_QUOTA_AT,
       KEY_DIRECT_IO, KEY_HELP };

static const struct fuse_opt opt_spec[] = {
	FUSE_OPT_KEY("--size=", KEY_SIZE),
	FUSE_OPT_KEY("--eio-at=", KEY_EIO_AT),
	FUSE_OPT_KEY("--shrink-at=", KEY_SHRINK_AT),
	FUSE_OPT_KEY("--shrink-to=", KEY_SHRINK_TO),
	FUSE_OPT_KEY("--wfail-at=", KEY_WFAIL_AT),
	FUSE_OPT_KEY("--corrupt-at=", KEY_CORRUPT_AT),
	FUSE_OPT_KEY("--wfail-errno=", KEY_WFAIL_ERRNO),
	FUSE_OPT_KEY("--no-fallocate", KEY_NO_FALLOCATE),
	FUSE_OPT_KEY("--no-truncate", KEY_NO_TRUNCATE),
	FUSE_OPT_KEY("--hold-fallocate=", KEY_HOLD_FALLOCATE),
	FUSE_OPT_KEY("--hold-fsync=", KEY_HOLD_FSYNC),
	FUSE_OPT_KEY("--log-io", KEY_LOG_IO),
	FUSE_OPT_KEY("--quota-at=", KEY_QUOTA_AT),
	FUSE_OPT_KEY("--direct-io", KEY_DIRECT_IO),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_END
};

static int parse_errno(const char *s)
{
	if (strcmp(s, "eio") == 0)
		return EIO;
	if (strcmp(s, "enospc") == 0)
		return ENOSPC;
	return -1;
}

/* fuse_opt's callback: take our options (return 0 drops them from the
 * arguments), leave the rest to libfuse (return 1). */
static int opt_proc(void *data, const char *arg, int key,
		    struct fuse_args *args)
{
	static uint64_t *const dest[] = {
		[KEY_SIZE] = &conf.size,	   [KEY_EIO_AT] = &conf.eio_at,
		[KEY_SHRINK_AT] = &conf.shrink_at, [KEY_SHRINK_TO] = &conf.shrink_to,
		[KEY_WFAIL_AT] = &conf.wfail_at,  [KEY_QUOTA_AT] = &conf.quota_at,
		[KEY_CORRUPT_AT] = &conf.corrupt_at,
	};
	const char *val = strchr(arg, '=');
	int err;

	(void)data, (void)args;
	switch (key) {
	case KEY_HELP:
		conf.help = true;
		return 0;
	case KEY_NO_FALLOCATE:
		conf.no_fallocate = true;
		return 0;
	case KEY_NO_TRUNCATE:
		conf.no_truncate = true;
		return 0;
	case KEY_DIRECT_IO:
		conf.direct_io = true;
		return 0;
	case KEY_LOG_IO:
		conf.log_io = true;
		return 0;
	case KEY_HOLD_FALLOCATE:
	case KEY_HOLD_FSYNC:
		if (!val[1])
			break;
		/* Kept for the life of the process: never freed. */
		*(key == KEY_HOLD_FSYNC ? &conf.hold_fsync
					: &conf.hold_fallocate) = strdup(val + 1);
		return 0;
	case KEY_WFAIL_ERRNO:
		err = parse_errno(val + 1);
		if (err > 0) {
			conf.wfail_errno = err;
			return 0;
		}
		break;
	case KEY_SIZE: case KEY_EIO_AT: case KEY_SHRINK_AT:
	case KEY_SHRINK_TO: case KEY_WFAIL_AT: case KEY_QUOTA_AT:
	case KEY_CORRUPT_AT:
		if (parse_size(val + 1, dest[key]) == 0)
			return 0;
		break;
	default:
		return 1;
	}
	fprintf(stderr, "faultfs: bad option '%s'\n", arg);
	return -1;
}

static void usage(void)
{
	puts("usage: faultfs [--size=N] [--eio-at=N] [--shrink-at=N] "
	     "[--shrink-to=N]\n"
	     "               [--wfail-at=N] [--wfail-errno=eio|enospc] "
	     "[--no-fallocate]\n"
	     "               [--no-truncate] [--hold-fallocate=FILE] "
	     "[--hold-fsync=FILE]\n"
	     "               [--log-io] [--quota-at=N] [--direct-io] "
	     "[--corrupt-at=N]\n"
	     "               MOUNTPOINT [FUSE options]\n"
	     "       faultfs --print-pattern N");
}

/* --print-pattern N: the bytes of /good, for the tests to cmp with. */
static int print_pattern(const char *arg)
{
	static char buf[1 << 16];
	uint64_t n, off = 0;

	if (parse_size(arg, &n) != 0) {
		fprintf(stderr, "faultfs: bad size '%s'\n", arg);
		return 2;
	}
	while (off < n) {
		size_t len = n - off < sizeof buf ? (size_t)(n - off)
						  : sizeof buf;

		fill_pattern(buf, off, len);
		if (fwrite(buf, 1, len, stdout) != len)
			break;
		off += len;
	}
	if (fflush(stdout) != 0 || off < n) {
		perror("faultfs: stdout");
		return 1;
	}
	return 0;
}

/* ---- nodes ---- */

static struct timespec now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

/* The entry of /out/ called name, or NULL. */
static struct node *find_file(const char *name)
{
	for (struct node *n = files; n; n = n->next)
		if (strcmp(n->name, name) == 0)
			return n;
	return NULL;
}

/* The name inside /out/ that path stands for ("/out/x" -> "x"), or NULL
 * for any other path: /out/ is flat. */
static const char *out_name(const char *path)
{
	const char *name;

	if (strncmp(path, "/out/", 5) != 0)
		return NULL;
	name = path + 5;
	return *name && !strchr(name, '/') ? name : NULL;
}

/* The node at path, or NULL. */
static struct node *lookup(const char *path)
{
	const char *name = out_name(path);

	if (strcmp(path, "/") == 0)
		return &root;
	if (name)
		return find_file(name);
	for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
		if (path[0] == '/' && strcmp(path + 1, top[i]->name) == 0)
			return top[i];
	return NULL;
}

/* The node an open handle stands for: open, create and opendir put it
 * there. */
static struct node *handle(const struct fuse_file_info *fi)
{
	return (struct node *)(uintptr_t)fi->fh;
}

/* With nullpath_ok, handlers given a handle get no path: the handle is
 * the node itself. */
static struct node *node_of(const char *path, const struct fuse_file_info *fi)
{
	return fi ? handle(fi) : lookup(path);
}

static void free_if_unused(struct node *n)
{
	if (n->kind == K_FILE && !n->linked && n->opens == 0) {
		free(n->data);
		free(n);
	}
}

/* Take n out of /out/'s list; it goes once no handle holds it. */
static void unlink_node(struct node *n)
{
	struct node **p = &files;

	while (*p != n)
		p = &(*p)->next;
	*p = n->next;
	n->linked = false;
	n->ctime = now();
	free_if_unused(n);
}

/* Set a file's size, zero-filling what it gains.  Returns 0 or -errno. */
static int resize(struct node *n, uint64_t size)
{
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	if (size > n->cap) {
		uint64_t cap = n->cap * 2 > size ? n->cap * 2 : size;
		char *p = realloc(n->data, (size_t)cap);

		if (!p)
			return -ENOMEM;
		n->data = p;
		n->cap = cap;
	}
	if (size > n->size)
		memset(n->data + n->size, 0, (size_t)(size - n->size));
	n->size = size;
	n->mtime = n->ctime = now();
	return 0;
}

/* --hold-OP=FILE: say that `op` began, then wait until FILE exists (at
 * most HOLD_MAX_MS).  The file system is single-threaded, so it answers
 * nothing else meanwhile: a test waits on the log, not on the mount. */
static void hold(const char *op, const char *file)
{
	struct timespec tick = { 0, 10000000 };

	if (!file)
		return;
	fprintf(stderr, "faultfs: %s held\n", op);
	for (int ms = 0; ms < HOLD_MAX_MS && access(file, F_OK) != 0; ms += 10)
		nanosleep(&tick, NULL);
	fprintf(stderr, "faultfs: %s released\n", op);
}

/* ---- operations ---- */

static void *ffs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* --direct-io: reads and writes go straight to us, and the kernel
	 * refuses MAP_SHARED (ENODEV) unless the server allows mmap, which
	 * newer libfuse may ask for by default: say no. */
#ifdef FUSE_CAP_DIRECT_IO_ALLOW_MMAP
	if (conf.direct_io)
		conn->want &= ~FUSE_CAP_DIRECT_IO_ALLOW_MMAP;
#else
	(void)conn;
#endif
	/* No caching of attributes or names: every fstat must ask us, or
	 * mcp would not see /shrink shrink. */
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	/* Unlink really unlinks (no .fuse_hidden files for no_leftovers to
	 * find); handles then carry the node, as they have no path.  The
	 * price: fstat of an unlinked open file fails with ESTALE, since
	 * the kernel sends it without the handle and libfuse finds no path.
	 * mcp only truncates, unlinks and closes a DEST it discards. */
	cfg->hard_remove = 1;
	cfg->nullpath_ok = 1;
	/* Not direct_io unless asked: mcp maps the files, /out/ ones
	 * shared and writable. */
	cfg->direct_io = conf.direct_io;
	return NULL;
}

/* A directory's links are its name, "." and its subdirectories' "..";
 * an unlinked file that is still open has none. */
static nlink_t links(const struct node *n)
{
	switch (n->kind) {
	case K_ROOT:
		return 3;
	case K_OUTDIR:
		return 2;
	case K_FILE:
		return n->linked;
	default:
		return 1;
	}
}

static int ffs_getattr(const char *path, struct stat *st,
		       struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (!n)
		return -ENOENT;
	memset(st, 0, sizeof *st);
	st->st_mode = n->mode;
	st->st_nlink = links(n);
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	st->st_size = (off_t)n->size;
	st->st_blksize = BLOCK;
	st->st_blocks = (st->st_size + 511) / 512;
	st->st_atim = n->atime;
	st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
	return 0;
}

static int ffs_opendir(const char *path, struct fuse_file_info *fi)
{
	struct node *n = lookup(path);

	if (!n)
		return -ENOENT;
	if (!S_ISDIR(n->mode))
		return -ENOTDIR;
	fi->fh = (uintptr_t)n;
	return 0;
}

static int ffs_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		       off_t off, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags)
{
	struct node *n = handle(fi);

	(void)path, (void)off, (void)flags;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (n == &root)
		for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
			fill(buf, top[i]->name, NULL, 0, 0);
	else
		for (struct node *f = files; f; f = f->next)
			fill(buf, f->name, NULL, 0, 0);
	return 0;
}

/* Hand out n as the handle fi. */
static int open_node(struct node *n, struct fuse_file_info *fi)
{
	if (n->kind == K_FILE) {
		n->opens++;
		if (fi->flags & O_TRUNC)
			resize(n, 0);
	} else if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		return -EACCES;
	}
	/* Each open of /shrink starts it whole again, so one mount serves
	 * many copies. */
	if (n->kind == K_SHRINK)
		n->size = conf.size;
	fi->fh = (uintptr_t)n;
	return 0;
}

static int ffs_open(const char *path, struct fuse_file_info *fi)
{
	struct node *n = lookup(path);

	if (!n)
		return -ENOENT;
	if (S_ISDIR(n->mode))
		return -EISDIR;
	return open_node(n, fi);
}

static int ffs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	const char *name = out_name(path);
	struct node *n;

	if (!name)
		return lookup(path) ? -EEXIST : -EACCES;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	n = find_file(name);
	if (n)
		return (fi->flags & O_EXCL) ? -EEXIST : open_node(n, fi);
	n = calloc(1, sizeof *n);
	if (!n)
		return -ENOMEM;
	n->kind = K_FILE;
	strcpy(n->name, name);
	n->mode = S_IFREG | (mode & 07777);
	n->uid = fuse_get_context()->uid;
	n->gid = fuse_get_context()->gid;
	n->atime = n->mtime = n->ctime = now();
	n->linked = true;
	n->next = files;
	files = n;
	return open_node(n, fi);
}

/* Reading the pattern files: where the faults are injected. */
static int read_pattern(struct node *n, char *buf, size_t len, uint64_t off)
{
	uint64_t size = n->size;

	if (n->kind == K_EIO && len && off + len > conf.eio_at)
		return -EIO;
	/* The read that reaches SHRINK_AT already sees the shorter file. */
	if (n->kind == K_SHRINK && len && off + len > conf.shrink_at)
		size = n->size = conf.shrink_to;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	fill_pattern(buf, off, len);
	return (int)len;
}

static int ffs_read(const char *path, char *buf, size_t len, off_t off,
		    struct fuse_file_info *fi)
{
	struct node *n = handle(fi);

	(void)path;
	if (n->kind != K_FILE)
		return read_pattern(n, buf, len, (uint64_t)off);
	if (conf.log_io)
		fprintf(stderr, "faultfs: read %s %lld %zu\n", n->name,
			(long long)off, len);
	if (len && (uint64_t)off + len > conf.quota_at)
		return -EDQUOT;
	if ((uint64_t)off >= n->size)
		return 0;
	if (len > n->size - (uint64_t)off)
		len = (size_t)(n->size - (uint64_t)off);
	memcpy(buf, n->data + off, len);
	return (int)len;
}

/* Writes into /out/: the other place faults are injected. */
static int ffs_write(const char *path, const char *buf, size_t len, off_t off,
		     struct fuse_file_info *fi)
{
	struct node *n = handle(fi);
	uint64_t end = (uint64_t)off + len;
	int rc;

	(void)path;
	if (n->kind != K_FILE)
		return -EBADF;
	if (conf.log_io)
		fprintf(stderr, "faultfs: write %s %lld %zu\n", n->name,
			(long long)off, len);
	if (len && end > conf.wfail_at)
		return -conf.wfail_errno;
	if (len && end > conf.quota_at)
		return -EDQUOT;
	if (end > n->size && (rc = resize(n, end)) != 0)
		return rc;
	memcpy(n->data + off, buf, len);
	/* --corrupt-at: the write succeeds, the byte is kept wrong. */
	if ((uint64_t)off <= conf.corrupt_at && conf.corrupt_at < end)
		n->data[conf.corrupt_at] = (char)~n->data[conf.corrupt_at];
	n->mtime = n->ctime = now();
	return (int)len;
}

static int ffs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (!n)
		return -ENOENT;
	if (n->kind != K_FILE)
		return S_ISDIR(n->mode) ? -EISDIR : -EACCES;
	/* --no-truncate: a sandbox or a server that refuses to change a
	 * file's size (setattr), which must cost mcp nothing it did not
	 * create or empty. */
	if (conf.no_truncate)
		return -EPERM;
	return resize(n, (uint64_t)size);
}

static int ffs_fallocate(const char *path, int mode, off_t off, off_t len,
			 struct fuse_file_info *fi)
{
	struct node *n = handle(fi);
	uint64_t end = (uint64_t)off + (uint64_t)len;

	(void)path;
	/* --no-fallocate: a file system that cannot reserve space, which
	 * mcp must copy to anyway. */
	if (conf.no_fallocate || (mode & ~FALLOC_FL_KEEP_SIZE) != 0)
		return -EOPNOTSUPP;
	if (n->kind != K_FILE)
		return -EBADF;
	if (len > 0 && end > conf.quota_at)
		return -EDQUOT;
	if (mode & FALLOC_FL_KEEP_SIZE)
		return 0; /* nothing to allocate in memory */
	hold("fallocate", conf.hold_fallocate);
	return end > n->size ? resize(n, end) : 0;
}

static int ffs_unlink(const char *path)
{
	const char *name = out_name(path);
	struct node *n = name ? find_file(name) : NULL;

	if (!n)
		return lookup(path) ? -EACCES : -ENOENT;
	unlink_node(n);
	return 0;
}

/* Within /out/ only: mcp --atomic renames its temporary file over DEST. */
static int ffs_rename(const char *from, const char *to, unsigned int flags)
{
	const char *fname = out_name(from), *tname = out_name(to);
	struct node *n = fname ? find_file(fname) : NULL, *old;

	if (!n)
		return lookup(from) ? -EACCES : -ENOENT;
	if (!tname)
		return -EACCES;
	if (flags & ~(unsigned)RENAME_NOREPLACE)
		return -EINVAL;
	if (strlen(tname) > NAME_MAX)
		return -ENAMETOOLONG;
	old = find_file(tname);
	if (old == n)
		return 0;
	if (old && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (old)
		unlink_node(old);
	strcpy(n->name, tname);
	n->ctime = now();
	return 0;
}

static int ffs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (!n)
		return -ENOENT;
	if (n->kind != K_FILE)
		return -EPERM;
	n->mode = (n->mode & S_IFMT) | (mode & 07777);
	n->ctime = now();
	return 0;
}

static int ffs_chown(const char *path, uid_t uid, gid_t gid,
		     struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (!n)
		return -ENOENT;
	if (n->kind != K_FILE)
		return -EPERM;
	if (uid != (uid_t)-1)
		n->uid = uid;
	if (gid != (gid_t)-1)
		n->gid = gid;
	n->ctime = now();
	return 0;
}

static void set_time(struct timespec *t, const struct timespec *want)
{
	if (want->tv_nsec == UTIME_NOW)
		*t = now();
	else if (want->tv_nsec != UTIME_OMIT)
		*t = *want;
}

static int ffs_utimens(const char *path, const struct timespec tv[2],
		       struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);
	static const struct timespec both_now[2] = { { 0, UTIME_NOW },
						     { 0, UTIME_NOW } };

	if (!n)
		return -ENOENT;
	if (n->kind != K_FILE)
		return -EPERM;
	if (!tv)
		tv = both_now;
	set_time(&n->atime, &tv[0]);
	set_time(&n->mtime, &tv[1]);
	n->ctime = now();
	return 0;
}

/* Data lives in memory: nothing to flush or sync.  Write errors are
 * reported by the writes themselves, and the kernel hands them on to
 * sync_file_range, fsync and close. */
static int ffs_flush(const char *path, struct fuse_file_info *fi)
{
	(void)path, (void)fi;
	return 0;
}

static int ffs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path, (void)datasync;
	if (fi && handle(fi)->kind == K_FILE)
		hold("fsync", conf.hold_fsync);
	return 0;
}

static int ffs_release(const char *path, struct fuse_file_info *fi)
{
	struct node *n = handle(fi);

	(void)path;
	if (n->kind == K_FILE) {
		n->opens--;
		free_if_unused(n);
	}
	return 0;
}

/* Plenty of room always, so no full-disk guess of mcp's (f_bavail == 0)
 * can mistake an injected error. */
static int ffs_statfs(const char *path, struct statvfs *sv)
{
	uint64_t used = 0;

	(void)path;
	for (struct node *n = files; n; n = n->next)
		used += (n->size + BLOCK - 1) / BLOCK;
	memset(sv, 0, sizeof *sv);
	sv->f_bsize = sv->f_frsize = BLOCK;
	sv->f_blocks = TOTAL_BLOCKS;
	sv->f_bfree = sv->f_bavail = TOTAL_BLOCKS - used;
	sv->f_files = 1 << 20;
	sv->f_ffree = sv->f_favail = (1 << 20) - 16;
	sv->f_namemax = NAME_MAX;
	return 0;
}

static const struct fuse_operations ops = {
	.init = ffs_init,
	.getattr = ffs_getattr,
	.opendir = ffs_opendir,
	.readdir = ffs_readdir,
	.open = ffs_open,
	.create = ffs_create,
	.read = ffs_read,
	.write = ffs_write,
	.truncate = ffs_truncate,
	.fallocate = ffs_fallocate,
	.unlink = ffs_unlink,
	.rename = ffs_rename,
	.chmod = ffs_chmod,
	.chown = ffs_chown,
	.utimens = ffs_utimens,
	.flush = ffs_flush,
	.fsync = ffs_fsync,
	.release = ffs_release,
	.statfs = ffs_statfs,
};

/* The static nodes belong to whoever mounts, dated now. */
static void init_nodes(void)
{
	struct node *const all[] = { &root, &outdir, &good, &eio, &shrink };
	struct timespec t = now();

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		all[i]->uid = getuid();
		all[i]->gid = getgid();
		all[i]->atime = all[i]->mtime = all[i]->ctime = t;
	}
	good.size = eio.size = shrink.size = conf.size;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	int rc;

	if (argc == 3 && strcmp(argv[1], "--print-pattern") == 0)
		return print_pattern(argv[2]);
	if (fuse_opt_parse(&args, NULL, opt_spec, opt_proc) != 0)
		return 2;
	if (conf.help) {
		usage();
		fuse_opt_free_args(&args);
		return 0;
	}
	if (conf.shrink_to > conf.size) {
		fprintf(stderr, "faultfs: --shrink-to is past --size\n");
		return 2;
	}
	init_nodes();
	/* Foreground (the tests kill it), one thread (no locks), and a
	 * name that grep finds in /proc/mounts. */
	if (fuse_opt_add_arg(&args, "-f") != 0 ||
	    fuse_opt_add_arg(&args, "-s") != 0 ||
	    fuse_opt_add_arg(&args, "-ofsname=faultfs,subtype=faultfs") != 0)
		return 2;
	rc = fuse_main(args.argc, args.argv, &ops, NULL);
	fuse_opt_free_args(&args);
	return rc;
}
